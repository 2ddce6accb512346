package dev.autocert4j.internal.caa;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The grammar of issue and issuewild values (RFC 8659 section 4.2) and RFC 8657's parameters. */
class IssuerValueTest {

    private static final String ACCOUNT = "https://ca.example/acct/42";

    @Test
    void anIssuerDomainAloneOrWithParametersIsRead() {
        assertThat(IssuerValue.parse("LetsEncrypt.org")).contains(new IssuerValue("letsencrypt.org", Map.of()));
        assertThat(IssuerValue.parse(" \tletsencrypt.org ; accounturi = " + ACCOUNT + " ;validationmethods=dns-01 "))
                .contains(new IssuerValue("letsencrypt.org", Map.of("accounturi", ACCOUNT, "validationmethods", "dns-01")));
        assertThat(IssuerValue.parse("letsencrypt.org;")).contains(new IssuerValue("letsencrypt.org", Map.of()));
    }

    @Test
    void aSemicolonAloneNamesNoIssuerAndPermitsNone() {
        IssuerValue none = IssuerValue.parse(";").orElseThrow();
        assertThat(none.issuerDomain()).isEmpty();
        assertThat(none.permits("letsencrypt.org", ACCOUNT, "http-01")).isFalse();
        assertThat(IssuerValue.parse("").orElseThrow().permits("letsencrypt.org", ACCOUNT, "http-01")).isFalse();
    }

    @Test
    void valuesOutsideTheGrammarAreUnreadable() {
        for (String value : List.of("lets encrypt.org", "letsencrypt.org.", "-letsencrypt.org", "letsencrypt.org\n",
                "letsencrypt.org; accounturi", "letsencrypt.org; =x", "letsencrypt.org; a=b;; c=d",
                "letsencrypt.org; accounturi=a b", "letsencrypt.org; accounturi=x; accounturi=y", "\u00e9.example",
                "letsencrypt.org; accounturi=\u00ff")) {
            assertThat(IssuerValue.parse(value)).as(value).isEmpty();
        }
    }

    @Test
    void anAccountUriPermitsThatAccountOnly() {
        IssuerValue value = IssuerValue.parse("letsencrypt.org; accounturi=" + ACCOUNT).orElseThrow();
        assertThat(value.permits("letsencrypt.org", ACCOUNT, "http-01")).isTrue();
        assertThat(value.permits("letsencrypt.org", "https://ca.example/acct/43", "http-01")).isFalse();
        assertThat(value.permits("letsencrypt.org", ACCOUNT + "/", "http-01")).isFalse();
    }

    @Test
    void validationMethodsPermitTheListedChallengesOnly() {
        IssuerValue value = IssuerValue.parse("letsencrypt.org; validationmethods=dns-01,tls-alpn-01").orElseThrow();
        assertThat(value.permits("letsencrypt.org", ACCOUNT, "dns-01")).isTrue();
        assertThat(value.permits("letsencrypt.org", ACCOUNT, "tls-alpn-01")).isTrue();
        assertThat(value.permits("letsencrypt.org", ACCOUNT, "http-01")).isFalse();
        assertThat(IssuerValue.parse("letsencrypt.org; validationmethods=dns-01,,http-01").orElseThrow()
                .permits("letsencrypt.org", ACCOUNT, "http-01")).as("a malformed list permits nothing").isFalse();
    }

    @Test
    void anotherIssuerIsNotPermittedAndUnknownParametersAreIgnored() {
        IssuerValue value = IssuerValue.parse("pki.goog; policy=ev").orElseThrow();
        assertThat(value.permits("letsencrypt.org", ACCOUNT, "http-01")).isFalse();
        assertThat(value.permits("pki.goog", ACCOUNT, "http-01")).isTrue();
    }
}
