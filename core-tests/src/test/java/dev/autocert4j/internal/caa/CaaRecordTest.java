package dev.autocert4j.internal.caa;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CAA RDATA comes from whoever answers DNS: truncated, over-long and badly tagged records are
 * refused as unreadable, and nothing a record holds makes the check throw or the message lie.
 */
class CaaRecordTest {

    static byte[] rdata(int flags, String tag, String value) {
        byte[] tagBytes = tag.getBytes(StandardCharsets.ISO_8859_1);
        byte[] valueBytes = value.getBytes(StandardCharsets.ISO_8859_1);
        byte[] rdata = new byte[2 + tagBytes.length + valueBytes.length];
        rdata[0] = (byte) flags;
        rdata[1] = (byte) tagBytes.length;
        System.arraycopy(tagBytes, 0, rdata, 2, tagBytes.length);
        System.arraycopy(valueBytes, 0, rdata, 2 + tagBytes.length, valueBytes.length);
        return rdata;
    }

    @Test
    void aWellFormedRecordIsReadWithItsTagInLowerCase() {
        assertThat(CaaRecord.parse(rdata(128, "ISSUE", "letsencrypt.org")))
                .contains(new CaaRecord(128, "issue", "letsencrypt.org"));
        assertThat(CaaRecord.parse(rdata(0, "issue", ""))).contains(new CaaRecord(0, "issue", ""));
    }

    @Test
    void truncatedRecordsAreUnreadable() {
        assertThat(CaaRecord.parse(new byte[0])).isEmpty();
        assertThat(CaaRecord.parse(new byte[] {0})).isEmpty();
        assertThat(CaaRecord.parse(new byte[] {0, 5, 'i', 's', 's'})).as("tag length past the end").isEmpty();
        assertThat(CaaRecord.parse(null)).isEmpty();
    }

    @Test
    void anEmptyOrOverLongTagIsUnreadable() {
        assertThat(CaaRecord.parse(new byte[] {0, 0, 'x'})).isEmpty();
        assertThat(CaaRecord.parse(rdata(0, "issueissueissue", "x"))).as("15 characters").isPresent();
        assertThat(CaaRecord.parse(rdata(0, "issueissueissuex", "x"))).as("16 characters").isEmpty();
        assertThat(CaaRecord.parse(new byte[] {0, (byte) 255, 'a'})).isEmpty();
    }

    @Test
    void aTagWithAnythingButAsciiLettersAndDigitsIsUnreadable() {
        for (String tag : List.of("iss-ue", "issue ", "is\u0000ue", "issu\u00e9", "issue.", "*")) {
            assertThat(CaaRecord.parse(rdata(0, tag, "letsencrypt.org"))).as(tag).isEmpty();
        }
    }

    @Test
    void aRecordShownInAMessageHasItsControlCharactersQuotesAndLengthTamed() {
        CaaRecord record = CaaRecord.parse(rdata(0, "issue", "ca.example\n\r\u001b[31m\"\\\u00ff")).orElseThrow();
        assertThat(record.toString()).isEqualTo("0 issue \"ca.example\\010\\013\\027[31m\\\"\\\\\\255\"");

        String shown = CaaRecord.parse(rdata(0, "issue", "a".repeat(60_000))).orElseThrow().toString();
        assertThat(shown).hasSizeLessThan(300).endsWith("...(60000 characters)\"");
        assertThat(CaaRecord.hex(new byte[5_000])).hasSizeLessThan(300).endsWith("...(5000 octets)");
    }

    @Test
    void randomRecordsNeverMakeTheVerdictThrow() {
        Random random = new Random(8659);
        for (int i = 0; i < 20_000; i++) {
            byte[] rdata = new byte[random.nextInt(40)];
            random.nextBytes(rdata);
            if (rdata.length > 1 && random.nextBoolean()) {
                rdata[1] = (byte) random.nextInt(17); // plausible tag lengths, so parsing gets past the header
            }
            Optional<String> refusal = CaaPrecheck.refusal("www.example.com", random.nextBoolean(), List.of(rdata),
                    List.of("letsencrypt.org"), "https://ca.example/acct/1", "http-01");
            refusal.ifPresent(message -> assertThat(message).doesNotContain("\n").doesNotContain("\u0000"));
        }
    }
}
