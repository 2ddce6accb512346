package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.FakeAcmeServer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CA faults in the middle of an issuance, scripted with WireMock: each ends in a clear error, the
 * working certificate stays stored and installed, and the next attempt is scheduled sensibly.
 */
class CaFaultsDuringIssuanceTest {

    private static final String DOMAIN = "portal.example.com";

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));
    private FakeAcmeServer ca;
    private InMemoryCertificateStore store;
    private RecordingBindingProvider host;
    private IssuedCertificate working;

    @BeforeEach
    void setUp() throws Exception {
        ca = new FakeAcmeServer(folder);
        store = new InMemoryCertificateStore();
        host = new RecordingBindingProvider("http://portal.example.com:8080");
        working = TestCertificates.issued(DOMAIN, clock.instant().minus(Duration.ofDays(80)), Duration.ofDays(90));
        store.saveCertificate(working);
        ca.withDirectory("{}").issuing().dating(clock::instant);
    }

    @AfterEach
    void tearDown() {
        ca.close();
    }

    private AutoCert autoCert(URI directory, Duration networkTimeout) {
        CertificateAuthority authority = directory == null ? ca.certificateAuthority()
                : CertificateAuthority.at(directory).named("Fake CA");
        return AutoCert.builder()
                .certificateAuthority(authority)
                .bindingProvider(host)
                .challengeSolver(new InMemoryChallengeSolver())
                .certificateStore(store)
                .clock(clock)
                .networkTimeout(networkTimeout)
                .pollTimeout(Duration.ofSeconds(30))
                .sleeper(clock::advance)
                .build();
    }

    /** Manages the domain (installing the working certificate) and runs the check that renews it. */
    private CertificateStatus renewalAttempt(AutoCert autoCert) {
        autoCert.manage(Enrollments.request("http://portal.example.com:8080"));
        autoCert.checkNow();
        return autoCert.status(DOMAIN);
    }

    private void assertWorkingCertificateKept(CertificateStatus status) {
        assertThat(store.certificateSaves()).isEqualTo(1);
        assertThat(store.loadCertificate(DOMAIN).orElseThrow()).isSameAs(working);
        assertThat(host.installed().values()).containsExactly(working);
        assertThat(status.serialNumber()).isEqualTo(working.metadata().serialNumber());
    }

    @Test
    void theFaultFreeScriptRenews() {
        CertificateStatus status = renewalAttempt(autoCert(null, Duration.ofSeconds(5)));

        assertThat(status.lastError()).isNull();
        assertThat(store.certificateSaves()).isEqualTo(2);
    }

    @Test
    void aRateLimitWithAnHttpDateIsWaitedFor() {
        Instant retryAt = clock.instant().plus(Duration.ofHours(5)).truncatedTo(ChronoUnit.SECONDS);
        ca.stub(post(urlEqualTo("/order")).atPriority(1).willReturn(FakeAcmeServer.problem(429, "rateLimited",
                "too many certificates for this domain").withHeader("Retry-After",
                DateTimeFormatter.RFC_1123_DATE_TIME.format(retryAt.atOffset(ZoneOffset.UTC)))));

        CertificateStatus status = renewalAttempt(autoCert(null, Duration.ofSeconds(5)));

        assertThat(status.lastError()).contains("rate limit reached").contains(retryAt.toString());
        assertThat(status.nextCheck()).isEqualTo(retryAt);
        assertWorkingCertificateKept(status);
    }

    @Test
    void aServerErrorIsRetriedAfterAMinute() {
        ca.stub(post(urlEqualTo("/order")).atPriority(1).willReturn(FakeAcmeServer.problem(500, "serverInternal",
                "internal error")));

        CertificateStatus status = renewalAttempt(autoCert(null, Duration.ofSeconds(5)));

        assertThat(status.lastError()).contains("Fake CA refused ordering a certificate").contains("internal error");
        assertThat(status.nextCheck()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
        assertWorkingCertificateKept(status);
    }

    @Test
    void anUnavailableCaWithRetryAfterIsReported() {
        ca.stub(post(urlEqualTo("/order")).atPriority(1).willReturn(aResponse().withStatus(503)
                .withHeader("Retry-After", "120").withBody("maintenance")));

        CertificateStatus status = renewalAttempt(autoCert(null, Duration.ofSeconds(5)));

        assertThat(status.lastError()).contains("HTTP 503").contains("try again later");
        assertWorkingCertificateKept(status);
    }

    @Test
    void aRefusedConnectionSaysTheCaCannotBeReached() throws Exception {
        int closedPort = dev.autocert4j.testkit.Ports.free();

        CertificateStatus status = renewalAttempt(autoCert(URI.create("https://127.0.0.1:" + closedPort + "/dir"),
                Duration.ofSeconds(5)));

        assertThat(status.lastError()).startsWith("Could not reach Fake CA at https://127.0.0.1:" + closedPort)
                .contains("the connection was refused or closed");
        assertWorkingCertificateKept(status);
    }

    @Test
    void aCaThatStopsAnsweringTimesOut() {
        ca.stub(post(urlEqualTo("/order")).atPriority(1).willReturn(aResponse().withFixedDelay(3_000)
                .withStatus(201).withBody("{}")));

        CertificateStatus status = renewalAttempt(autoCert(null, Duration.ofMillis(500)));

        assertThat(status.lastError()).contains("Could not reach Fake CA").contains("no answer within the network timeout");
        assertWorkingCertificateKept(status);
    }

    @Test
    void aDirectoryThatVanishesMidOrderIsReported() {
        ca.stub(post(urlEqualTo("/order/1/finalize")).atPriority(1).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "text/html").withBody("<h1>Not Found</h1>")));

        CertificateStatus status = renewalAttempt(autoCert(null, Duration.ofSeconds(5)));

        assertThat(status.lastError()).contains("Fake CA").contains("404");
        assertWorkingCertificateKept(status);
    }

    @Test
    void malformedJsonInTheOrderIsNotMistakenForSuccess() {
        ca.stub(post(urlEqualTo("/order")).atPriority(1).willReturn(FakeAcmeServer.json(201, "{\"status\": ")
                .withHeader("Location", "https://localhost/order/1")));

        CertificateStatus status = renewalAttempt(autoCert(null, Duration.ofSeconds(5)));

        assertThat(status.lastError()).contains("Fake CA");
        assertWorkingCertificateKept(status);
    }

    @Test
    void anOrderStuckInProcessingTimesOutWithoutWaitingInRealTime() {
        String processing = "{\"status\":\"processing\",\"identifiers\":[{\"type\":\"dns\",\"value\":\"portal.example.com\"}],"
                + "\"authorizations\":[],\"finalize\":\"https://localhost/order/1/finalize\"}";
        ca.stub(post(urlEqualTo("/order/1")).atPriority(1).willReturn(FakeAcmeServer.json(200, processing)));
        Instant started = clock.instant();

        CertificateStatus status = renewalAttempt(autoCert(null, Duration.ofSeconds(5)));

        assertThat(status.lastError()).contains("still 'processing' after 30 s");
        assertThat(Duration.between(started, clock.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        assertWorkingCertificateKept(status);
    }

    @Test
    void anAuthorizationThatTurnsInvalidFailsTheOrder() {
        ca.stub(post(urlEqualTo("/order/1")).atPriority(1).willReturn(FakeAcmeServer.json(200,
                "{\"status\":\"invalid\",\"identifiers\":[{\"type\":\"dns\",\"value\":\"portal.example.com\"}],"
                        + "\"authorizations\":[],\"finalize\":\"https://localhost/order/1/finalize\","
                        + "\"error\":{\"type\":\"urn:ietf:params:acme:error:unauthorized\",\"detail\":\"authorization was revoked\"}}")));

        CertificateStatus status = renewalAttempt(autoCert(null, Duration.ofSeconds(5)));

        assertThat(status.lastError()).contains("marked the order for portal.example.com invalid")
                .contains("authorization was revoked");
        assertWorkingCertificateKept(status);
    }

    @Test
    void aFailedChallengeReadsTheSameUnderATurkishDefaultLocale() {
        ca.failingChallenge("Connection refused");
        java.util.Locale before = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
        CertificateStatus status;
        try {
            status = renewalAttempt(autoCert(null, Duration.ofSeconds(5)));
        } finally {
            java.util.Locale.setDefault(before);
        }

        assertThat(status.lastError()).startsWith("The Fake CA HTTP challenge failed with status 'invalid'.")
                .contains("The CA requested http://portal.example.com/.well-known/acme-challenge/dGVzdC10b2tlbi0x.")
                .contains("The CA said: Connection refused.");
        assertWorkingCertificateKept(status);
    }

    @Test
    void aStormOfBadNoncesEndsInAClearError() {
        ca.stub(post(urlEqualTo("/order")).atPriority(1).willReturn(FakeAcmeServer.problem(400, "badNonce",
                "JWS has an invalid anti-replay nonce").withHeader("Replay-Nonce", "bm9uY2UtYmFk")));

        CertificateStatus status = renewalAttempt(autoCert(null, Duration.ofSeconds(5)));

        assertThat(status.lastError()).contains("invalid anti-replay nonce");
        assertWorkingCertificateKept(status);
    }

    @Test
    void aMissingDirectoryIsReportedAtTheFirstCall() {
        ca.stub(get(urlEqualTo("/dir")).atPriority(1).willReturn(aResponse().withStatus(404)));
        AutoCert autoCert = autoCert(null, Duration.ofSeconds(5));

        assertThatThrownBy(autoCert::termsOfService)
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageContaining("Fake CA")
                .hasMessageContaining("404");
    }
}
