package dev.autocert4j.internal.acme;

import dev.autocert4j.internal.Sleeper;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.RenewalWindow;
import dev.autocert4j.internal.Issuer;
import dev.autocert4j.testing.FakeAcmeServer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/** ACME Renewal Information, {@code replaces} and profiles, which Pebble 2.4 does not offer. */
class AcmeIssuerTest {

    private static final Issuer.Registration REGISTRATION = new Issuer.Registration("admin@example.com", null, null);

    @TempDir
    Path folder;

    private FakeAcmeServer ca;
    private InMemoryCertificateStore store;

    @BeforeEach
    void setUp() throws Exception {
        ca = new FakeAcmeServer(folder);
        store = new InMemoryCertificateStore();
    }

    @AfterEach
    void tearDown() {
        ca.close();
    }

    private String profile;

    private AcmeIssuer issuer(String profile) {
        this.profile = profile;
        Clock clock = Clock.systemUTC();
        return new AcmeIssuer(ca.certificateAuthority(), store, clock,
                new Poller(clock, Sleeper.threadSleep(), Duration.ofSeconds(5)),
                new AcmeIssuer.Options(null, Duration.ofSeconds(5), null, null));
    }

    private IssuedCertificate obtain(AcmeIssuer issuer, IssuedCertificate replacing) {
        return issuer.obtain(new Issuer.Order("portal.example.com", List.of("portal.example.com"), ChallengeType.HTTP_01,
                REGISTRATION, KeyType.EC_P256, profile, replacing == null ? null : replacing.leaf()),
                new InMemoryChallengeSolver());
    }

    @Test
    void readsTheCasRenewalWindowAndExplanation() {
        Instant start = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        RenewalWindow window = new RenewalWindow(start, start.plus(Duration.ofDays(2)), URI.create("https://ca.test/why"));
        ca.withDirectory("{}", true).issuing().suggestingRenewal(window);
        AcmeIssuer issuer = issuer(null);
        IssuedCertificate current = obtain(issuer, null);

        Instant askedAt = Instant.now();
        Issuer.RenewalAdvice advice = issuer.renewalAdvice(current::leaf).orElseThrow();
        assertThat(advice.window()).isEqualTo(window);
        assertThat(advice.recheckAt()).as("the CA's Retry-After of six hours")
                .isBetween(askedAt.plus(Duration.ofHours(6)).minusSeconds(5), Instant.now().plus(Duration.ofHours(6)).plusSeconds(5));
    }

    @Test
    void aCaWithoutRenewalInformationGivesNoWindowAndNoReplaces() {
        ca.withDirectory("{}", false).issuing();
        AcmeIssuer issuer = issuer(null);
        IssuedCertificate current = obtain(issuer, null);

        assertThat(issuer.renewalAdvice(current::leaf)).isEmpty();
        obtain(issuer, current);
        assertThat(ca.newOrderPayloads()).hasSize(2).noneMatch(payload -> payload.contains("replaces"));
    }

    @Test
    void aRenewalOrderNamesTheCertificateItReplaces() {
        ca.withDirectory("{}", true).issuing();
        AcmeIssuer issuer = issuer(null);
        IssuedCertificate previous = TestCertificates.issued("portal.example.com");

        obtain(issuer, previous);

        assertThat(ca.newOrderPayloads()).singleElement().asString().contains("\"replaces\":\"");
    }

    @Test
    void alreadyReplacedOrdersAgainWithoutReplaces() {
        ca.withDirectory("{}", true).issuing();
        ca.wireMock().stubFor(post(urlEqualTo("/order")).atPriority(1).inScenario("replaced").whenScenarioStateIs(STARTED)
                .willReturn(FakeAcmeServer.problem(409, "alreadyReplaced", "this certificate was already replaced")
                        .withHeader("Replay-Nonce", "bm9uY2UtOQ"))
                .willSetStateTo("answered"));
        AcmeIssuer issuer = issuer(null);

        IssuedCertificate issued = obtain(issuer, TestCertificates.issued("portal.example.com"));

        assertThat(issued.leaf().getIssuerX500Principal()).isEqualTo(ca.authority().intermediate().getSubjectX500Principal());
        List<String> payloads = ca.newOrderPayloads();
        assertThat(payloads).hasSize(2);
        assertThat(payloads.get(0)).contains("\"replaces\"");
        assertThat(payloads.get(1)).doesNotContain("\"replaces\"");
    }

    @Test
    void asksForAProfileOnlyWhereTheDirectoryListsIt() {
        ca.withDirectory("{\"profiles\":{\"shortlived\":\"6-day certificates\"}}", false).issuing();

        obtain(issuer("shortlived"), null);
        AcmeIssuer withUnlistedProfile = issuer("tlsserver");
        obtain(withUnlistedProfile, null);

        List<String> payloads = ca.newOrderPayloads();
        assertThat(payloads.get(0)).contains("\"profile\":\"shortlived\"");
        assertThat(payloads.get(1)).doesNotContain("\"profile\"");
    }
}
