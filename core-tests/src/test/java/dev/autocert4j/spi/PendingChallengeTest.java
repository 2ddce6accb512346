package dev.autocert4j.spi;

import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The challenge a solver is given: its values, the DNS-01 record, and the input it refuses. */
class PendingChallengeTest {

    /** The token of RFC 8555 section 8.4 and the JWK thumbprint of RFC 7638 section 3.1. */
    private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
    private static final String KEY_AUTHORIZATION = TOKEN + ".NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    @Test
    void theDns01TxtValueIsTheUnpaddedBase64urlSha256OfTheKeyAuthorization() {
        PendingChallenge challenge = PendingChallenge.of(ChallengeType.DNS_01, "www.example.org", TOKEN, KEY_AUTHORIZATION);

        // computed apart from the code under test: printf %s "$keyAuthorization" | openssl dgst -sha256 -binary | base64url
        assertThat(challenge.txtValue()).isEqualTo("ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8");
        assertThat(challenge.txtRecordName()).isEqualTo("_acme-challenge.www.example.org");
        assertThat(challenge.type()).isEqualTo(ChallengeType.DNS_01);
        assertThat(challenge.token()).isEqualTo(TOKEN);
        assertThat(challenge.keyAuthorization()).isEqualTo(KEY_AUTHORIZATION);
    }

    @Test
    void aWildcardKeepsItsIdentifierAndIsValidatedAtTheNameUnderIt() {
        PendingChallenge wildcard = PendingChallenge.of(ChallengeType.DNS_01, "*.example.org", TOKEN, KEY_AUTHORIZATION);

        assertThat(wildcard.identifier()).isEqualTo("*.example.org");
        assertThat(wildcard.validatedName()).isEqualTo("example.org");
        assertThat(wildcard.txtRecordName()).isEqualTo("_acme-challenge.example.org");
    }

    @Test
    void ipAddressesAreIdentifiersForHttp01AndTlsAlpn01() {
        assertThat(PendingChallenge.of(ChallengeType.HTTP_01, "192.0.2.7", TOKEN, KEY_AUTHORIZATION).validatedName())
                .isEqualTo("192.0.2.7");
        assertThat(PendingChallenge.of(ChallengeType.TLS_ALPN_01, "2001:db8::10", TOKEN, KEY_AUTHORIZATION).identifier())
                .isEqualTo("2001:db8::10");
    }

    @Test
    void theDnsRecordBelongsToDns01Only() {
        PendingChallenge http = PendingChallenge.of(ChallengeType.HTTP_01, "www.example.org", TOKEN, KEY_AUTHORIZATION);

        assertThatThrownBy(http::txtValue).isInstanceOf(IllegalStateException.class).hasMessageContaining("http-01");
        assertThatThrownBy(http::txtRecordName).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTokenThatIsNotBase64urlIsRefusedSoNoSolverPutsItInAPathOrARecord() {
        for (String token : new String[]{"../../etc/passwd", "tok en", "tok/1", "tok.1", "", "tok\n1", "a".repeat(513)}) {
            assertThatThrownBy(() -> PendingChallenge.of(ChallengeType.HTTP_01, "www.example.org", token, token + ".thumb"))
                    .as(token).isInstanceOf(InvalidInputException.class).hasMessageContaining("token");
        }
    }

    @Test
    void aKeyAuthorizationThatIsNotTheTokenADotAndAThumbprintIsRefused() {
        for (String keyAuthorization : new String[]{"other-token.thumbprint", TOKEN, TOKEN + ".", TOKEN + ".thumb print",
                TOKEN + ".thumb\r\nX-Injected: 1", TOKEN + ".a.b"}) {
            assertThatThrownBy(() -> PendingChallenge.of(ChallengeType.HTTP_01, "www.example.org", TOKEN, keyAuthorization))
                    .as(keyAuthorization).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("keyAuthorization")
                    .hasMessageNotContaining(keyAuthorization);
        }
    }

    @Test
    void identifiersAreRefusedWhereTheirChallengeCannotValidateThem() {
        assertThatThrownBy(() -> PendingChallenge.of(ChallengeType.HTTP_01, "*.example.org", TOKEN, KEY_AUTHORIZATION))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("only DNS-01");
        assertThatThrownBy(() -> PendingChallenge.of(ChallengeType.DNS_01, "192.0.2.7", TOKEN, KEY_AUTHORIZATION))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("IP address");
        for (String name : new String[]{"", "bad name.example.org", "example.org.\n_acme-challenge.evil.org", "-a.example.org",
                "a..example.org", "*.*.example.org", "ex/ample.org", "999.1.1.1", "a".repeat(64) + ".example.org"}) {
            assertThatThrownBy(() -> PendingChallenge.of(ChallengeType.DNS_01, name, TOKEN, KEY_AUTHORIZATION))
                    .as(name).isInstanceOf(InvalidInputException.class).hasMessageContaining("identifier");
        }
    }

    @Test
    void itsTextNamesTheTypeAndIdentifierButNeverTheKeyAuthorization() {
        PendingChallenge challenge = PendingChallenge.of(ChallengeType.DNS_01, "www.example.org", TOKEN, KEY_AUTHORIZATION);

        assertThat(challenge.toString()).isEqualTo("PendingChallenge[dns-01 www.example.org]")
                .doesNotContain(TOKEN).doesNotContain("NzbLsXh8");
    }

    @Test
    void twoChallengesWithTheSameValuesAreEqual() {
        assertThat(PendingChallenge.of(ChallengeType.DNS_01, "www.example.org", TOKEN, KEY_AUTHORIZATION))
                .isEqualTo(PendingChallenge.of(ChallengeType.DNS_01, "www.example.org", TOKEN, KEY_AUTHORIZATION))
                .hasSameHashCodeAs(PendingChallenge.of(ChallengeType.DNS_01, "www.example.org", TOKEN, KEY_AUTHORIZATION))
                .isNotEqualTo(PendingChallenge.of(ChallengeType.HTTP_01, "www.example.org", TOKEN, KEY_AUTHORIZATION));
    }
}
