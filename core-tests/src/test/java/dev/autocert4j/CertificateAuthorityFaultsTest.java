package dev.autocert4j;

import dev.autocert4j.testing.FakeAcmeServer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
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

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** What the admin sees when the CA misbehaves, and that the stored certificate survives it. */
class CertificateAuthorityFaultsTest {

    private static final String TOS = "https://ca.test/terms-v1.pdf";

    @TempDir
    Path folder;

    private FakeAcmeServer ca;
    private InMemoryCertificateStore store;
    private IssuedCertificate working;
    private AutoCert autoCert;

    @BeforeEach
    void setUp() throws Exception {
        ca = new FakeAcmeServer(folder);
        store = new InMemoryCertificateStore();
        working = TestCertificates.issued("portal.example.com");
        store.saveCertificate(working);
        autoCert = AutoCert.builder()
                .certificateAuthority(ca.certificateAuthority())
                .bindingProvider(new RecordingBindingProvider("http://portal.example.com:8080"))
                .challengeSolver(new dev.autocert4j.testkit.InMemoryChallengeSolver())
                .certificateStore(store)
                .networkTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterEach
    void tearDown() {
        ca.close();
    }

    private CertificateStatus enroll() {
        return autoCert.enroll(EnrollmentRequest.builder().binding(Binding.parse("http://portal.example.com:8080"))
                .httpsPort(8443).email("admin@example.com").termsOfServiceAccepted(true).build());
    }

    private void assertWorkingCertificateKept() {
        assertThat(store.certificateSaves()).isEqualTo(1);
        assertThat(store.loadCertificate("portal.example.com").orElseThrow()).isSameAs(working);
    }

    @Test
    void readsTheTermsOfServiceFromTheDirectory() {
        ca.withDirectory("{\"termsOfService\":\"" + TOS + "\"}");

        assertThat(autoCert.termsOfService()).contains(URI.create(TOS));
        assertThat(autoCert.externalAccountRequired()).isFalse();
    }

    @Test
    void aTermsOfServiceLinkThatIsNotAUriIsTheCasFaultNotACrash() {
        ca.withDirectory("{\"termsOfService\":\"not a uri at all ::\"}");

        assertThatThrownBy(() -> autoCert.termsOfService())
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageContaining("Fake CA sent a response that is not valid ACME while reading the directory");
    }

    @Test
    void aRateLimitSaysWhenToTryAgain() {
        ca.withDirectory("{\"termsOfService\":\"" + TOS + "\"}")
                .onNewAccount(FakeAcmeServer.problem(429, "rateLimited", "too many new registrations from this IP")
                        .withHeader("Retry-After", "3600"));

        assertThatThrownBy(this::enroll)
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.retryAfter()).hasValueSatisfying(at ->
                            assertThat(at).isCloseTo(Instant.now().plusSeconds(3600), within(Duration.ofMinutes(1))));
                    assertThat(e.problemType()).contains(URI.create("urn:ietf:params:acme:error:rateLimited"));
                })
                .hasMessageContaining("Fake CA rate limit reached while registering the account")
                .hasMessageContaining("too many new registrations from this IP")
                .hasMessageContaining("The next attempt is allowed after");
        assertWorkingCertificateKept();
        assertThat(autoCert.status("portal.example.com").lastError()).contains("rate limit reached");
    }

    @Test
    void anUnavailableCaIsReportedWithItsStatus() {
        ca.withDirectory("{}").onNewAccount(aResponse().withStatus(503).withBody("down for maintenance"));

        assertThatThrownBy(this::enroll)
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageContaining("Fake CA")
                .hasMessageContaining("503");
        assertWorkingCertificateKept();
    }

    @Test
    void newTermsOfServiceNeedTheAdmin() {
        ca.withDirectory("{\"termsOfService\":\"" + TOS + "\"}")
                .onNewAccount(FakeAcmeServer.problem(403, "userActionRequired", "Terms of service have changed")
                        .withHeader("Link", "<https://ca.test/terms-v2.pdf>;rel=\"terms-of-service\""));

        assertThatThrownBy(this::enroll)
                .isInstanceOfSatisfying(TermsOfServiceChangedException.class, e ->
                        assertThat(e.termsOfService()).contains(URI.create("https://ca.test/terms-v2.pdf")))
                .hasMessageContaining("requires action by the admin")
                .hasMessageContaining("https://ca.test/terms-v2.pdf");
        assertWorkingCertificateKept();
    }

    @Test
    void aMalformedDirectoryIsNotMistakenForACa() {
        ca.stub(get(urlEqualTo("/dir")).willReturn(FakeAcmeServer.json(200, "{ this is not json")));

        assertThatThrownBy(this::enroll)
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageContaining("Fake CA");
        assertWorkingCertificateKept();
    }

    @Test
    void aCaRequiringEabIsToldBeforeAnyAccountIsRequested() {
        ca.withDirectory("{\"externalAccountRequired\":true}");

        assertThat(autoCert.externalAccountRequired()).isTrue();
        assertThatThrownBy(this::enroll)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Fake CA requires external account binding");
        assertThat(ca.newAccountRequests()).isZero();
        assertWorkingCertificateKept();
    }

    @Test
    void anUnauthorizedAccountIsReportedWithTheCasDetail() {
        ca.withDirectory("{}").onNewAccount(FakeAcmeServer.problem(401, "unauthorized", "account is deactivated"));

        assertThatThrownBy(this::enroll)
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageContaining("refused registering the account as unauthorized: account is deactivated");
        assertWorkingCertificateKept();
    }
}
