package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.ForwardingCertificateStore;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnrollmentIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private TestChallengeServer challenges;
    private InMemoryCertificateStore store;
    private RecordingBindingProvider host;
    private AutoCert autoCert;

    @BeforeEach
    void startHost() throws Exception {
        challenges = new TestChallengeServer(PEBBLE.httpChallengePort());
        store = new InMemoryCertificateStore();
        host = new RecordingBindingProvider("http://portal.autocert4j.test:8080", "http://second.autocert4j.test:8080",
                "https://secure.autocert4j.test:9443", "http://flaky.autocert4j.test:8080");
        autoCert = Enrollments.autoCert(PEBBLE, host, challenges, store).build();
    }

    @AfterEach
    void stopHost() {
        challenges.close();
    }

    private static EnrollmentRequest request(String binding) {
        return Enrollments.request(binding);
    }

    @Test
    void obtainsStoresAndInstallsACertificateForTheChosenBinding() throws Exception {
        assertThat(autoCert.termsOfService()).isPresent();

        CertificateStatus status = autoCert.enroll(request("http://portal.autocert4j.test:8080"));

        IssuedCertificate stored = store.loadCertificate("portal.autocert4j.test").orElseThrow();
        assertThat(stored.leaf().getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList())
                .containsExactly("portal.autocert4j.test");
        verifyChain(stored.chain(), PEBBLE.rootCertificate());
        assertThat(stored.leaf().getPublicKey()).isNotEqualTo(store.loadAccount(PEBBLE.directoryUri()).orElseThrow().keyPair().getPublic());
        assertThat(host.installed()).containsOnlyKeys(Binding.parse("https://portal.autocert4j.test:8443"));
        assertThat(status.domain()).isEqualTo("portal.autocert4j.test");
        assertThat(status.lastRenewed()).isNotNull();
        assertThat(status.notAfter()).isEqualTo(stored.leaf().getNotAfter().toInstant());
        assertThat(status.serialNumber()).isEqualTo(stored.leaf().getSerialNumber().toString(16));
        assertThat(status.lastError()).isNull();
        assertThat(status.installResult()).isEqualTo(InstallResult.LIVE);
        assertThat(challenges.publishedCount()).as("tokens withdrawn").isZero();
        assertThat(stored.metadata().caDirectory()).isEqualTo(PEBBLE.directoryUri());
        assertThat(stored.metadata().accountLocation()).isEqualTo(store.loadAccount(PEBBLE.directoryUri()).orElseThrow().location());
    }

    @Test
    void oneCertificateForTheBindingAndTwoExtraNamesEachValidated() {
        EnrollmentRequest request = request("http://portal.autocert4j.test:8080").toBuilder()
                .extraNames("www.autocert4j.test", "api.autocert4j.test").build();

        CertificateStatus status = autoCert.enroll(request);

        IssuedCertificate stored = store.loadCertificate("portal.autocert4j.test").orElseThrow();
        assertThat(CertificateMetadata.subjectAlternativeNames(stored.leaf()))
                .containsExactlyInAnyOrder("portal.autocert4j.test", "www.autocert4j.test", "api.autocert4j.test");
        assertThat(status.names()).containsExactlyInAnyOrder("portal.autocert4j.test", "www.autocert4j.test",
                "api.autocert4j.test");
        assertThat(challenges.everPublishedCount()).as("one HTTP-01 token per name").isEqualTo(3);
        assertThat(store.loadEnrollments().get("portal.autocert4j.test")).containsEntry("extraNames",
                "www.autocert4j.test,api.autocert4j.test");
    }

    @Test
    void aSecondEnrollmentReusesTheAccountButNotTheKey() {
        autoCert.enroll(request("http://portal.autocert4j.test:8080"));
        AcmeAccount account = store.loadAccount(PEBBLE.directoryUri()).orElseThrow();

        autoCert.enroll(request("http://second.autocert4j.test:8080"));

        AcmeAccount after = store.loadAccount(PEBBLE.directoryUri()).orElseThrow();
        assertThat(after.location()).isEqualTo(account.location());
        assertThat(after.keyPair().getPublic()).isEqualTo(account.keyPair().getPublic());
        assertThat(store.loadCertificate("second.autocert4j.test").orElseThrow().metadata().accountLocation())
                .isEqualTo(account.location());
        assertThat(store.loadCertificate("second.autocert4j.test").orElseThrow().leaf().getPublicKey())
                .isNotEqualTo(store.loadCertificate("portal.autocert4j.test").orElseThrow().leaf().getPublicKey());
    }

    @Test
    void anHttpsBindingIsSecuredOnItsOwnPort() {
        autoCert.enroll(EnrollmentRequest.builder().binding(Binding.parse("https://secure.autocert4j.test:9443"))
                .email("admin@autocert4j.test").termsOfServiceAccepted(true).build());

        assertThat(host.installed()).containsOnlyKeys(Binding.parse("https://secure.autocert4j.test:9443"));
    }

    @Test
    void aChallengeTheCaCannotReachFailsPlainlyAndKeepsTheStoredCertificate() {
        autoCert.enroll(request("http://flaky.autocert4j.test:8080"));
        IssuedCertificate working = store.loadCertificate("flaky.autocert4j.test").orElseThrow();
        int saves = store.certificateSaves();
        challenges.answering(false);

        assertThatThrownBy(() -> autoCert.enroll(request("http://flaky.autocert4j.test:8080")))
                .isInstanceOf(ChallengeFailedException.class)
                .hasMessageStartingWith("The Pebble HTTP challenge failed with status 'invalid'.")
                .hasMessageContaining("The CA requested http://flaky.autocert4j.test/.well-known/acme-challenge/")
                .hasMessageContaining("The CA said:")
                .hasMessageContaining("404");

        assertThat(store.certificateSaves()).isEqualTo(saves);
        assertThat(store.loadCertificate("flaky.autocert4j.test").orElseThrow().metadata())
                .isEqualTo(working.metadata());
        CertificateStatus status = autoCert.status("flaky.autocert4j.test");
        assertThat(status.serialNumber()).isEqualTo(working.metadata().serialNumber());
        assertThat(status.lastError()).startsWith("The Pebble HTTP challenge failed with status 'invalid'");
        assertThat(challenges.publishedCount()).as("token withdrawn after failure").isZero();
    }

    @Test
    void anUnknownBindingIsRejectedBeforeAnyNetworkCall() {
        assertThatThrownBy(() -> autoCert.enroll(request("http://other.autocert4j.test:8080")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("binding 'http://other.autocert4j.test:8080' is not one of the bindings");
        assertThat(challenges.everPublishedCount()).isZero();
        assertThat(store.loadAccount(PEBBLE.directoryUri())).isEmpty();
    }

    @Test
    void theAccountIsReadFromTheStoreOnceForSeveralEnrollmentsAndNoProviderIsAddedToTheJvm() {
        autoCert.enroll(request("http://portal.autocert4j.test:8080")); // registers the account
        CountingAccountReads counting = new CountingAccountReads(store);
        AutoCert restarted = Enrollments.autoCert(PEBBLE, host, challenges, counting).build();

        restarted.enroll(request("http://portal.autocert4j.test:8080"));
        restarted.enroll(request("http://second.autocert4j.test:8080"));

        assertThat(counting.accountReads).hasValue(1);
        assertThat(java.security.Security.getProvider("BC")).as("Bouncy Castle stays out of the JVM's providers").isNull();
    }

    @Test
    void anAccountTheStoreCannotReadIsTheStoresOwnErrorAndNothingIsOrdered() {
        autoCert.enroll(request("http://portal.autocert4j.test:8080"));
        CountingAccountReads failing = new CountingAccountReads(store);
        failing.failure = new CertificateStoreException("Cannot read the ACME account in accounts/x.account: the password is wrong", null);
        AutoCert restarted = Enrollments.autoCert(PEBBLE, host, challenges, failing).build();
        int published = challenges.everPublishedCount();

        assertThatThrownBy(() -> restarted.enroll(request("http://second.autocert4j.test:8080")))
                .isSameAs(failing.failure);
        assertThat(challenges.everPublishedCount()).isEqualTo(published);
        assertThat(store.loadCertificate("second.autocert4j.test")).isEmpty();
    }

    /** The store, counting how often the account is read, or failing to read it. */
    private static final class CountingAccountReads extends ForwardingCertificateStore {
        private final java.util.concurrent.atomic.AtomicInteger accountReads = new java.util.concurrent.atomic.AtomicInteger();
        private volatile CertificateStoreException failure;

        CountingAccountReads(CertificateStore store) {
            super(store);
        }

        @Override
        public java.util.Optional<AcmeAccount> loadAccount(java.net.URI caDirectory) {
            accountReads.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            return super.loadAccount(caDirectory);
        }
    }

    static void verifyChain(List<X509Certificate> chain, X509Certificate root) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
    }
}
