package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Pebble's chaos settings: renewals complete and nothing is lost. */
class ChaosIT {

    private static final String[] BINDINGS = {"http://chaos1.autocert4j.test:8080", "http://chaos2.autocert4j.test:8080",
            "http://chaos3.autocert4j.test:8080", "http://chaos4.autocert4j.test:8080", "http://chaos5.autocert4j.test:8080"};

    private static AutoCert autoCert(PebbleExtension pebble, TestChallengeServer challenges, InMemoryCertificateStore store) {
        return AutoCert.builder()
                .certificateAuthority(pebble.certificateAuthority())
                .bindingProvider(new RecordingBindingProvider(BINDINGS))
                .challengeSolver(challenges)
                .certificateStore(store)
                .build();
    }

    @Nested
    class RejectingThirtyPercentOfNoncesAndReusingEveryAuthorization {

        @RegisterExtension
        static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().nonceRejectPercent(30).authzReusePercent(100);

        @Test
        void enrollmentsAndRenewalsAllComplete() throws Exception {
            InMemoryCertificateStore store = new InMemoryCertificateStore();
            try (TestChallengeServer challenges = new TestChallengeServer(PEBBLE.httpChallengePort())) {
                AutoCert autoCert = autoCert(PEBBLE, challenges, store);
                for (String binding : BINDINGS) {
                    autoCert.enroll(Enrollments.request(binding));
                }
                int challengesForEnrollment = challenges.everPublishedCount();
                for (String domain : autoCert.managedDomains()) {
                    String before = store.loadCertificate(domain).orElseThrow().metadata().serialNumber();
                    autoCert.renewNow(domain);
                    assertThat(store.loadCertificate(domain).orElseThrow().metadata().serialNumber()).isNotEqualTo(before);
                }
                assertThat(challengesForEnrollment).isEqualTo(BINDINGS.length);
                assertThat(challenges.everPublishedCount()).as("renewals reused the valid authorizations")
                        .isEqualTo(BINDINGS.length);
            }
            assertThat(store.certificateSaves()).isEqualTo(2 * BINDINGS.length);
        }
    }

    @Nested
    class WithPebblesRandomValidationDelay {

        @RegisterExtension
        static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().withValidationSleep();

        @Test
        void anEnrollmentWaitsForTheSlowValidation() throws Exception {
            InMemoryCertificateStore store = new InMemoryCertificateStore();
            try (TestChallengeServer challenges = new TestChallengeServer(PEBBLE.httpChallengePort())) {
                autoCert(PEBBLE, challenges, store).enroll(Enrollments.request(BINDINGS[0]));
            }
            assertThat(store.loadCertificate("chaos1.autocert4j.test")).isPresent();
        }
    }
}
