package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.FakeAcmeServer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificateAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A CA that hands back a certificate nobody can use (other names, another key, expired, a chain
 * that does not verify) gets it refused: nothing is stored, the working certificate stays
 * installed, and the status says what was wrong.
 */
class BadCertificatesFromTheCaTest {

    private static final String DOMAIN = "portal.example.com";
    private static final Binding HTTPS = Binding.parse("https://portal.example.com:8443");

    @TempDir
    Path folder;

    private FakeAcmeServer ca;
    private InMemoryCertificateStore store;
    private RecordingBindingProvider host;
    private AutoCert autoCert;
    private IssuedCertificate working;

    @BeforeEach
    void enrollWithAGoodCertificate() throws Exception {
        ca = new FakeAcmeServer(folder).withDirectory("{}").issuing();
        store = new InMemoryCertificateStore();
        host = new RecordingBindingProvider("http://portal.example.com:8080");
        autoCert = AutoCert.builder().certificateAuthority(ca.certificateAuthority()).bindingProvider(host)
                .challengeSolver(new InMemoryChallengeSolver()).certificateStore(store).build();
        autoCert.enroll(Enrollments.request("http://portal.example.com:8080"));
        working = store.loadCertificate(DOMAIN).orElseThrow();
    }

    @AfterEach
    void stopCa() {
        autoCert.close();
        ca.close();
    }

    private void assertRefusedAndWorkingKept(String reason) {
        assertThatThrownBy(() -> autoCert.renewNow(DOMAIN))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageStartingWith("Fake CA sent a certificate for portal.example.com that cannot be used: ")
                .hasMessageContaining(reason)
                .hasMessageContaining("It was not stored or installed; the working certificate stays in place.");
        assertThat(store.loadCertificate(DOMAIN).orElseThrow()).isEqualTo(working);
        assertThat(store.certificateSaves()).isEqualTo(1);
        assertThat(host.installed().get(HTTPS)).isSameAs(working);
        CertificateStatus status = autoCert.status(DOMAIN);
        assertThat(status.serialNumber()).isEqualTo(working.metadata().serialNumber());
        assertThat(status.lastError()).contains(reason);
    }

    @Test
    void aGoodCertificateIsAccepted() {
        CertificateStatus renewed = autoCert.renewNow(DOMAIN);

        assertThat(renewed.serialNumber()).isNotEqualTo(working.metadata().serialNumber());
        assertThat(renewed.lastError()).isNull();
        assertThat(store.certificateSaves()).isEqualTo(2);
    }

    @Test
    void aCertificateForOtherNamesIsRefused() {
        ca.forging((key, names) -> List.of(ca.authority().leaf(key, Instant.now(), Duration.ofDays(90),
                List.of("attacker.example.net")), ca.authority().intermediate()));

        assertRefusedAndWorkingKept("it names attacker.example.net but portal.example.com was ordered");
    }

    @Test
    void aCertificateWithAnExtraNameIsRefused() {
        ca.forging((key, names) -> List.of(ca.authority().leaf(key, Instant.now(), Duration.ofDays(90),
                List.of(DOMAIN, "extra.example.com")), ca.authority().intermediate()));

        assertRefusedAndWorkingKept("it names extra.example.com, portal.example.com but portal.example.com was ordered");
    }

    @Test
    void aCertificateForAnotherKeyIsRefused() {
        ca.forging((key, names) -> List.of(ca.authority().leaf(KeyType.EC_P256.generate().getPublic(), Instant.now(),
                Duration.ofDays(90), names), ca.authority().intermediate()));

        assertRefusedAndWorkingKept("its public key is not the one in the certificate request");
    }

    @Test
    void anExpiredCertificateIsRefused() {
        Instant longAgo = Instant.now().minus(Duration.ofDays(100));
        ca.forging((key, names) -> List.of(ca.authority().leaf(key, longAgo, Duration.ofDays(90), names),
                ca.authority().intermediate()));

        assertRefusedAndWorkingKept("it is not valid now");
    }

    @Test
    void aCertificateThatStartsNextWeekIsRefused() {
        ca.forging((key, names) -> List.of(ca.authority().leaf(key, Instant.now().plus(Duration.ofDays(7)),
                Duration.ofDays(90), names), ca.authority().intermediate()));

        assertRefusedAndWorkingKept("it is not valid now");
    }

    @Test
    void aCertificateWithoutItsIssuerIsRefused() {
        ca.forging((key, names) -> List.of(ca.authority().leaf(key, Instant.now(), Duration.ofDays(90), names)));

        assertRefusedAndWorkingKept("no issuer certificate came with it");
    }

    @Test
    void aChainWhoseIssuerIsAnotherCaIsRefused() {
        TestCertificateAuthority other = new TestCertificateAuthority("Other CA");
        ca.forging((key, names) -> List.of(ca.authority().leaf(key, Instant.now(), Duration.ofDays(90), names),
                other.intermediate()));

        assertRefusedAndWorkingKept("certificate 1 of its chain names the issuer 'CN=Fake ACME CA Intermediate' but is"
                + " followed by 'CN=Other CA Intermediate'");
    }

    @Test
    void aChainWithAForgedSignatureIsRefused() {
        TestCertificateAuthority impostor = new TestCertificateAuthority("Fake ACME CA");
        ca.forging((key, names) -> List.of(impostor.leaf(key, Instant.now(), Duration.ofDays(90), names),
                ca.authority().intermediate()));

        assertRefusedAndWorkingKept("certificate 1 of its chain is not signed by 'CN=Fake ACME CA Intermediate'");
    }
}
