package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The self-check in an enrollment against Pebble: it passes silently, or stops before the CA validates. */
class SelfCheckIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private AutoCert autoCert(TestChallengeServer challenges, InMemoryCertificateStore store) {
        ChallengeSelfCheck check = ChallengeSelfCheck.standard()
                .withPort(PEBBLE.httpChallengePort())
                .withResolver(host -> List.of(InetAddress.getByName("127.0.0.1")))
                .abortingOnFailure();
        return Enrollments.autoCert(PEBBLE,
                new RecordingBindingProvider("http://checked.autocert4j.test:8080"), challenges, store)
                .selfCheck(check)
                .build();
    }

    @Test
    void aPassingSelfCheckLetsTheEnrollmentGoOn() throws Exception {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (TestChallengeServer challenges = new TestChallengeServer(PEBBLE.httpChallengePort())) {
            autoCert(challenges, store).enroll(Enrollments.request("http://checked.autocert4j.test:8080"));
        }
        assertThat(store.loadCertificate("checked.autocert4j.test")).isPresent();
    }

    @Test
    void aFailingSelfCheckStopsBeforeTheCaValidates() throws Exception {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (TestChallengeServer challenges = new TestChallengeServer(PEBBLE.httpChallengePort())) {
            challenges.answering(false);

            assertThatThrownBy(() -> autoCert(challenges, store).enroll(Enrollments.request("http://checked.autocert4j.test:8080")))
                    .isInstanceOf(SelfCheckFailedException.class)
                    .hasMessageContaining("answered HTTP 404");
            assertThat(challenges.publishedCount()).as("token withdrawn").isZero();
        }
        assertThat(store.loadCertificate("checked.autocert4j.test")).isEmpty();
    }
}
