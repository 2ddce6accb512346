package dev.autocert4j.dns.route53;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TxtStringsTest {

    @Test
    void quotesAndBackslashesAreEscaped() {
        assertThat(TxtStrings.quote("a \"b\" \\c")).isEqualTo("\"a \\\"b\\\" \\\\c\"");
        assertThat(TxtStrings.unquote("\"a \\\"b\\\" \\\\c\"")).isEqualTo("a \"b\" \\c");
    }

    @Test
    void aValueLongerThan255BytesIsSplitIntoStringsAndJoinedBack() {
        String value = "x".repeat(300);

        String quoted = TxtStrings.quote(value);

        assertThat(quoted).isEqualTo("\"" + "x".repeat(255) + "\" \"" + "x".repeat(45) + "\"");
        assertThat(TxtStrings.unquote(quoted)).isEqualTo(value);
    }

    @Test
    void octalEscapesRoute53GivesBackAreUndone() {
        assertThat(TxtStrings.unquote("\"caf\\303\\251\"")).isEqualTo("café");
        assertThat(TxtStrings.unquote(TxtStrings.quote("café"))).isEqualTo("café");
    }
}
