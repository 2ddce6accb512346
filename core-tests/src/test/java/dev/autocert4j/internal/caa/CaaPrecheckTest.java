package dev.autocert4j.internal.caa;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.CaaCheck;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.FallbackPolicy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.autocert4j.internal.caa.CaaRecordTest.rdata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The CAA check before an order, against a scripted DNS: the relevant set is found as RFC 8659
 * section 3 says and decides as the CA would, and every refusal names the records and where they are.
 */
class CaaPrecheckTest {

    private static final Instant NOW = Instant.parse("2026-12-08T01:00:00Z");
    private static final URI ACCOUNT = URI.create("https://acme.example/acct/7");
    private static final List<String> LETS_ENCRYPT = List.of("letsencrypt.org");

    /** DNS as a map of names to records; names in {@code failing} answer SERVFAIL; every question is noted. */
    private static final class ScriptedDns implements CaaLookup {
        final Map<String, List<byte[]>> records = new HashMap<>();
        final Map<String, String> aliases = new HashMap<>();
        final Set<String> failing = new java.util.HashSet<>();
        final List<String> asked = new ArrayList<>();

        ScriptedDns caa(String name, int flags, String tag, String value) {
            records.computeIfAbsent(name, n -> new ArrayList<>()).add(rdata(flags, tag, value));
            return this;
        }

        @Override
        public List<byte[]> caaAt(String name) throws IOException {
            asked.add(name);
            if (failing.contains(name)) {
                throw new IOException("ServiceUnavailableException: SERVFAIL");
            }
            return records.getOrDefault(name, List.of());
        }

        @Override
        public Optional<String> aliasTarget(String name) {
            return Optional.ofNullable(aliases.get(name));
        }
    }

    private final ScriptedDns dns = new ScriptedDns();

    private CaaPrecheck precheck(CaaCheck settings) {
        CertificateAuthority ca = CertificateAuthority.letsEncrypt().withCaaCheck(settings);
        return new CaaPrecheck(ca, dns, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private void check(ChallengeType challenge, String... names) {
        precheck(CaaCheck.standard()).check(List.of(names), LETS_ENCRYPT, ACCOUNT, challenge);
    }

    private CertificateAuthorityException refused(ChallengeType challenge, String... names) {
        return catchThrowableOfType(() -> check(challenge, names), CertificateAuthorityException.class);
    }

    @Test
    void anotherIssuerOnTheApexRefusesEveryNameBelowItNamingTheRecordWhereItIs() {
        dns.caa("example.com", 0, "issue", "other.example");

        CertificateAuthorityException refusal = refused(ChallengeType.HTTP_01, "www.example.com");

        assertThat(refusal).hasMessageStartingWith(
                "CAA at example.com forbids issuance by letsencrypt.org: 0 issue \"other.example\" (for www.example.com).")
                .hasMessageContaining("add 0 issue \"letsencrypt.org\"");
        assertThat(refusal.problemType()).contains(CaaPrecheck.CAA_PROBLEM);
        assertThat(refusal.retryAfter()).as("not hammered: asked again a day later").contains(NOW.plus(Duration.ofDays(1)));
        assertThat(FallbackPolicy.standard().tryNext(CertificateAuthority.letsEncrypt(), refusal, NOW))
                .as("the next CA of a list is tried").isTrue();
    }

    @Test
    void theFirstNonEmptySetClimbingFromTheNameDecidesAndTheRootIsNeverAsked() {
        dns.caa("example.com", 0, "issue", "other.example");
        dns.caa("www.example.com", 0, "iodef", "mailto:admin@example.com");

        assertThatCode(() -> check(ChallengeType.HTTP_01, "www.example.com")).as("a set without issue lets any CA")
                .doesNotThrowAnyException();
        dns.asked.clear();
        assertThatCode(() -> check(ChallengeType.HTTP_01, "a.b.other.org")).doesNotThrowAnyException();
        assertThat(dns.asked).containsExactly("a.b.other.org", "b.other.org", "other.org", "org");
    }

    @Test
    void aSemicolonForbidsPlainNamesWhileIssuewildLetsTheWildcard() {
        dns.caa("example.com", 0, "issue", ";").caa("example.com", 0, "issuewild", "letsencrypt.org");

        assertThatCode(() -> check(ChallengeType.DNS_01, "*.example.com")).doesNotThrowAnyException();
        assertThat(refused(ChallengeType.DNS_01, "*.example.com", "example.com"))
                .hasMessageStartingWith("CAA at example.com forbids issuance by letsencrypt.org: 0 issue \";\" (for example.com).");
    }

    @Test
    void aWildcardUsesIssueWhereNoIssuewildIsThereAndIssuewildWinsWhereItIs() {
        dns.caa("example.com", 0, "issue", "letsencrypt.org");
        assertThatCode(() -> check(ChallengeType.DNS_01, "*.example.com")).doesNotThrowAnyException();

        dns.caa("example.com", 0, "issuewild", "other.example");
        assertThat(refused(ChallengeType.DNS_01, "*.example.com")).hasMessageContaining(
                "0 issuewild \"other.example\" (for *.example.com)").hasMessageContaining("add 0 issuewild \"letsencrypt.org\"");
        assertThatCode(() -> check(ChallengeType.DNS_01, "example.com")).as("issuewild says nothing of plain names")
                .doesNotThrowAnyException();
    }

    @Test
    void anAccountUriOfAnotherAccountRefusesAndOurOwnPermits() {
        dns.caa("example.com", 0, "issue", "letsencrypt.org; accounturi=https://acme.example/acct/8");
        assertThat(refused(ChallengeType.HTTP_01, "example.com")).hasMessageContaining("accounturi=https://acme.example/acct/8");

        dns.caa("example.com", 0, "issue", "letsencrypt.org; accounturi=" + ACCOUNT);
        assertThatCode(() -> check(ChallengeType.HTTP_01, "example.com")).doesNotThrowAnyException();
    }

    @Test
    void validationMethodsWithoutTheChallengeUsedRefuse() {
        dns.caa("example.com", 0, "issue", "letsencrypt.org; validationmethods=dns-01");

        assertThat(refused(ChallengeType.HTTP_01, "example.com")).hasMessageContaining("validationmethods=dns-01");
        assertThatCode(() -> check(ChallengeType.DNS_01, "example.com")).doesNotThrowAnyException();
    }

    @Test
    void aCriticalUnknownTagRefusesAndAnUnknownTagWithoutTheFlagIsIgnored() {
        dns.caa("example.com", 0, "issue", "letsencrypt.org").caa("example.com", 0, "futuretag", "x");
        assertThatCode(() -> check(ChallengeType.HTTP_01, "example.com")).doesNotThrowAnyException();

        dns.caa("example.com", 128, "futuretag", "x");
        assertThat(refused(ChallengeType.HTTP_01, "example.com")).hasMessageContaining("128 futuretag \"x\" is critical");

        dns.records.clear();
        dns.caa("example.com", 128, "issue", "letsencrypt.org");
        assertThatCode(() -> check(ChallengeType.HTTP_01, "example.com")).as("a critical known tag").doesNotThrowAnyException();
    }

    @Test
    void tagsAndIssuerDomainsCompareWithoutCase() {
        dns.caa("example.com", 0, "ISSUE", "LetsEncrypt.ORG");
        assertThatCode(() -> check(ChallengeType.HTTP_01, "Example.com")).doesNotThrowAnyException();
    }

    @Test
    void anUnreadableRecordRefusesNamingItsOctets() {
        dns.records.put("example.com", List.of(new byte[] {0, 9, 'i', 's'}));

        assertThat(refused(ChallengeType.HTTP_01, "example.com"))
                .hasMessage("CAA at example.com holds a record that cannot be read (00096973), so nothing is ordered for"
                        + " example.com: fix or remove it.");
    }

    @Test
    void recordsReachedThroughAnAliasAreNamedAtItsTarget() {
        dns.caa("www.example.com", 0, "issue", "other.example");
        dns.aliases.put("www.example.com", "cdn.provider.net");

        assertThat(refused(ChallengeType.HTTP_01, "www.example.com")).hasMessageStartingWith(
                "CAA at cdn.provider.net (the alias target of www.example.com) forbids issuance by letsencrypt.org");
    }

    @Test
    void aFailedLookupLeavesTheNameToTheCaWhichReadsCaaItself() {
        dns.caa("example.com", 0, "issue", "other.example");
        dns.failing.add("www.example.com");

        assertThatCode(() -> check(ChallengeType.HTTP_01, "www.example.com"))
                .as("the relevant set is unknown when the name's own lookup failed: the CA decides").doesNotThrowAnyException();
        assertThat(dns.asked).as("the parent's records are not taken for the name's").containsExactly("www.example.com");
    }

    @Test
    void theDirectorysIdentitiesWinAndWithoutAnyTheCheckIsSkipped() {
        dns.caa("example.com", 0, "issue", "pebble.test");
        CaaPrecheck configured = precheck(CaaCheck.standard().withIdentities(List.of("pebble.test")));

        assertThatCode(() -> configured.check(List.of("example.com"), List.of(), ACCOUNT, ChallengeType.HTTP_01))
                .doesNotThrowAnyException();
        assertThat(catchThrowableOfType(() -> configured.check(List.of("example.com"), LETS_ENCRYPT, ACCOUNT,
                ChallengeType.HTTP_01), CertificateAuthorityException.class)).hasMessageContaining("by letsencrypt.org");

        dns.asked.clear();
        precheck(CaaCheck.standard()).check(List.of("example.com"), List.of(), ACCOUNT, ChallengeType.HTTP_01);
        assertThat(dns.asked).as("no identity: nothing to check against").isEmpty();
    }

    @Test
    void offAsksNothingAndAddressesHaveNoCaa() {
        dns.caa("example.com", 0, "issue", ";");
        precheck(CaaCheck.off()).check(List.of("example.com"), LETS_ENCRYPT, ACCOUNT, ChallengeType.HTTP_01);
        check(ChallengeType.HTTP_01, "192.0.2.7", "2001:db8::1");

        assertThat(dns.asked).isEmpty();
    }

    @Test
    void aNameSharingAParentWithAnotherIsNotAskedTwiceInOneCheck() {
        check(ChallengeType.HTTP_01, "a.example.com", "b.example.com");

        assertThat(dns.asked).containsExactly("a.example.com", "example.com", "com", "b.example.com");
    }
}
