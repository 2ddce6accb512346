package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A CA that requires external account binding, as commercial ACME CAs do. */
@SuppressWarnings("deprecation") // also the per-request EAB, kept for one release
class ExternalAccountBindingIT {

    private static final String KEY_ID = "kid-1";
    private static final String HMAC_KEY = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults()
            .requireExternalAccountBinding(Map.of(KEY_ID, HMAC_KEY));

    private TestChallengeServer challenges;
    private InMemoryCertificateStore store;
    private AutoCert autoCert;

    @BeforeEach
    void startHost() throws Exception {
        challenges = new TestChallengeServer(PEBBLE.httpChallengePort());
        store = new InMemoryCertificateStore();
        autoCert = Enrollments.autoCert(PEBBLE,
                new RecordingBindingProvider("http://eab.autocert4j.test:8080"), challenges, store).build();
    }

    @AfterEach
    void stopHost() {
        challenges.close();
    }

    private static EnrollmentRequest.Builder request() {
        return EnrollmentRequest.builder().binding(Binding.parse("http://eab.autocert4j.test:8080")).httpsPort(8443)
                .email("admin@autocert4j.test").termsOfServiceAccepted(true);
    }

    @Test
    void saysWhenTheCaRequiresEabAndRegistersNothingWithoutIt() {
        assertThat(autoCert.externalAccountRequired()).isTrue();

        assertThatThrownBy(() -> autoCert.enroll(request().build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("requires external account binding");
        assertThat(store.loadAccount(PEBBLE.directoryUri())).isEmpty();
        assertThat(challenges.everPublishedCount()).isZero();
    }

    @Test
    void enrollsWithTheEabCredentials() {
        autoCert.enroll(request().externalAccountBinding(KEY_ID, HMAC_KEY).build());

        assertThat(store.loadCertificate("eab.autocert4j.test")).isPresent();
        assertThat(store.loadAccount(PEBBLE.directoryUri()).orElseThrow().location()).isNotNull();
    }

    @Test
    void registersThroughTheAccountsEabAndEnrollsWithoutIt() {
        java.net.URI terms = autoCert.termsOfService().orElseThrow();
        assertThatThrownBy(() -> autoCert.register(AccountRegistration.builder().termsOfServiceAccepted(terms).build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("requires external account binding");

        autoCert.register(AccountRegistration.builder().email("admin@autocert4j.test").termsOfServiceAccepted(terms)
                .externalAccountBinding(KEY_ID, HMAC_KEY).build());
        autoCert.enroll(EnrollmentRequest.builder().binding(Binding.parse("http://eab.autocert4j.test:8080"))
                .httpsPort(8443).build());

        assertThat(store.loadCertificate("eab.autocert4j.test")).isPresent();
        assertThat(autoCert.account().orElseThrow().acceptedTermsOfService()).contains(terms);
    }
}
