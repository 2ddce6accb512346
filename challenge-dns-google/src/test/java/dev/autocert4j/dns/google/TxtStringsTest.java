package dev.autocert4j.dns.google;

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
    void decimalEscapesAreUndone() {
        assertThat(TxtStrings.unquote("\"caf\\195\\169\"")).isEqualTo("café");
        assertThat(TxtStrings.unquote(TxtStrings.quote("café"))).isEqualTo("café");
    }
}
