package dev.autocert4j;

import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.PendingChallenge;
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

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the engine calls on a challenge solver, scripted with WireMock: present, wait until ready,
 * and clean up whatever happened (validation failed, the CA never finished, the solver itself
 * failed), and the deprecated responder adapted the same way.
 */
class ChallengeSolverLifecycleTest {

    private static final String DOMAIN = "portal.example.com";
    private static final List<String> WHOLE_LIFE = List.of("present " + DOMAIN, "awaitReady " + DOMAIN, "cleanUp " + DOMAIN);

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));
    private FakeAcmeServer ca;
    private InMemoryCertificateStore store;

    @BeforeEach
    void setUp() throws Exception {
        ca = new FakeAcmeServer(folder);
        store = new InMemoryCertificateStore();
        store.saveCertificate(TestCertificates.issued(DOMAIN, clock.instant().minus(Duration.ofDays(80)), Duration.ofDays(90)));
        ca.withDirectory("{}").issuing().dating(clock::instant);
    }

    @AfterEach
    void tearDown() {
        ca.close();
    }

    private AutoCert.Builder builder() {
        return AutoCert.builder()
                .certificateAuthority(ca.certificateAuthority())
                .bindingProvider(new RecordingBindingProvider("http://portal.example.com:8080"))
                .certificateStore(store)
                .clock(clock)
                .networkTimeout(Duration.ofSeconds(5))
                .pollTimeout(Duration.ofSeconds(30))
                .sleeper(clock::advance);
    }

    /** Manages the domain and runs the check that renews its certificate, which is due. */
    private CertificateStatus renewalAttempt(AutoCert.Builder builder) {
        try (AutoCert autoCert = builder.build()) {
            autoCert.manage(Enrollments.request("http://portal.example.com:8080"));
            autoCert.checkNow();
            return autoCert.status(DOMAIN);
        }
    }

    @Test
    void aFailedValidationIsCleanedUp() {
        ca.failingChallenge("Connection refused");
        InMemoryChallengeSolver solver = new InMemoryChallengeSolver();

        CertificateStatus status = renewalAttempt(builder().challengeSolver(solver));

        assertThat(status.lastError()).contains("The CA said: Connection refused.");
        assertThat(solver.calls()).containsExactlyElementsOf(WHOLE_LIFE);
        assertThat(solver.pending()).isEmpty();
    }

    @Test
    void aValidationTheCaNeverFinishesTimesOutAndIsCleanedUp() {
        ca.neverFinishingChallenge();
        InMemoryChallengeSolver solver = new InMemoryChallengeSolver();
        Instant started = clock.instant();

        CertificateStatus status = renewalAttempt(builder().challengeSolver(solver));

        assertThat(status.lastError()).contains("still 'pending' after 30 s");
        assertThat(Duration.between(started, clock.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(solver.calls()).containsExactlyElementsOf(WHOLE_LIFE);
        assertThat(solver.pending()).isEmpty();
    }

    @Test
    void aSolverNeverReadyIsCleanedUpAndTheCaIsNeverAskedToValidate() {
        ca.neverFinishingChallenge();
        List<String> calls = new CopyOnWriteArrayList<>();
        ChallengeSolver neverReady = new RecordingSolver(calls) {
            @Override
            public void awaitReady(PendingChallenge challenge, Duration timeout) {
                calls.add("awaitReady " + timeout);
                throw new AutoCertException("The TXT record did not appear within " + timeout, null);
            }
        };

        CertificateStatus status = renewalAttempt(builder().challengeSolver(neverReady));

        assertThat(status.lastError()).contains("did not appear within PT30S");
        assertThat(calls).containsExactly("present " + DOMAIN, "awaitReady PT30S", "cleanUp " + DOMAIN);
        assertThat(ca.wireMock().findAll(postRequestedFor(urlEqualTo("/chall/1")))).as("never triggered").isEmpty();
    }

    @Test
    void aSolverThatFailsToPresentIsStillCleanedUp() {
        ca.neverFinishingChallenge();
        List<String> calls = new CopyOnWriteArrayList<>();
        ChallengeSolver failing = new RecordingSolver(calls) {
            @Override
            public void present(PendingChallenge challenge) {
                calls.add("present " + challenge.identifier());
                throw new AutoCertException("The DNS host refused the record", null);
            }
        };

        CertificateStatus status = renewalAttempt(builder().challengeSolver(failing));

        assertThat(status.lastError()).contains("The DNS host refused the record");
        assertThat(calls).containsExactly("present " + DOMAIN, "cleanUp " + DOMAIN);
    }

    @Test
    void aCleanUpThatThrowsDoesNotHideWhyTheValidationFailed() {
        ca.failingChallenge("Connection refused");
        List<String> calls = new CopyOnWriteArrayList<>();
        ChallengeSolver brokenCleanUp = new RecordingSolver(calls) {
            @Override
            public void cleanUp(PendingChallenge challenge) {
                calls.add("cleanUp " + challenge.identifier());
                throw new IllegalStateException("the token store is down");
            }
        };

        CertificateStatus status = renewalAttempt(builder().challengeSolver(brokenCleanUp));

        assertThat(status.lastError()).contains("The CA said: Connection refused.").doesNotContain("token store");
        assertThat(calls).contains("cleanUp " + DOMAIN);
    }

    @Test
    @SuppressWarnings("deprecation") // the 0.1 responder keeps working through the builder's adapter
    void aDeprecatedResponderIsPublishedForTheNameAndWithdrawnAfterAFailedValidation() {
        ca.failingChallenge("Connection refused");
        List<String> calls = new CopyOnWriteArrayList<>();
        ChallengeResponder responder = new ChallengeResponder() {
            @Override
            public void publish(String token, String keyAuthorization) {
                calls.add("publish without a name");
            }

            @Override
            public void publish(String domain, String token, String keyAuthorization) {
                calls.add("publish " + domain + " " + token + " " + keyAuthorization.startsWith(token + "."));
            }

            @Override
            public void withdraw(String token) {
                calls.add("withdraw " + token);
            }
        };

        CertificateStatus status = renewalAttempt(builder().challengeResponder(responder));

        assertThat(status.lastError()).contains("The CA said: Connection refused.");
        assertThat(calls).containsExactly("publish " + DOMAIN + " dGVzdC10b2tlbi0x true", "withdraw dGVzdC10b2tlbi0x");
    }

    @Test
    void twoSolversForOneChallengeTypeAreAnErrorNamingBothClasses() {
        AutoCert.Builder builder = builder().challengeSolver(new InMemoryChallengeSolver());

        assertThatThrownBy(() -> builder.challengeSolver(new RecordingSolver(new CopyOnWriteArrayList<>())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Two challenge solvers for http-01")
                .hasMessageContaining(InMemoryChallengeSolver.class.getName())
                .hasMessageContaining(RecordingSolver.class.getName());
        assertThatThrownBy(() -> builder().challengeSolver(new InMemoryChallengeSolver(ChallengeType.DNS_01))
                .challengeSolver(new InMemoryChallengeSolver(ChallengeType.DNS_01)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("dns-01");
    }

    @Test
    @SuppressWarnings("deprecation")
    void aSolverAfterAResponderForTheSameTypeIsAnErrorNamingTheResponderClass() {
        AutoCert.Builder builder = builder().challengeResponder(new dev.autocert4j.testkit.InMemoryChallengeResponder());

        assertThatThrownBy(() -> builder.challengeSolver(new InMemoryChallengeSolver()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dev.autocert4j.testkit.InMemoryChallengeResponder.class.getName())
                .hasMessageContaining(InMemoryChallengeSolver.class.getName());
    }

    @Test
    void solversOfDifferentTypesGoTogether() {
        try (AutoCert autoCert = builder().challengeSolver(new InMemoryChallengeSolver())
                .challengeSolver(new InMemoryChallengeSolver(ChallengeType.DNS_01)).build()) {
            assertThat(autoCert.chooseChallenge(List.of("*.example.com"))).isEqualTo(ChallengeType.DNS_01);
        }
    }

    /** An HTTP-01 solver that records each call. */
    private static class RecordingSolver implements ChallengeSolver {
        private final List<String> calls;

        RecordingSolver(List<String> calls) {
            this.calls = calls;
        }

        @Override
        public ChallengeType type() {
            return ChallengeType.HTTP_01;
        }

        @Override
        public void present(PendingChallenge challenge) {
            calls.add("present " + challenge.identifier());
        }

        @Override
        public void cleanUp(PendingChallenge challenge) {
            calls.add("cleanUp " + challenge.identifier());
        }
    }
}
