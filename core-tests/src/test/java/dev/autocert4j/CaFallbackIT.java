package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.FakeAcmeServer;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several CAs in order: two Pebbles (own ports, own roots), and a scripted CA as the first that
 * answers 503 or refuses the name. The certificate comes from the next CA in the same attempt,
 * the status names it and why the first was skipped, and the next renewal asks the first again.
 */
class CaFallbackIT {

    private static final int CHALLENGE_PORT = Ports.free();

    @RegisterExtension
    static final PebbleExtension FIRST = PebbleExtension.withDefaults().httpChallengePort(CHALLENGE_PORT);
    @RegisterExtension
    static final PebbleExtension SECOND = PebbleExtension.withDefaults().httpChallengePort(CHALLENGE_PORT);

    private static TestChallengeServer challenges;

    @BeforeAll
    static void answerChallenges() throws Exception {
        challenges = new TestChallengeServer(CHALLENGE_PORT);
    }

    @AfterAll
    static void stopAnswering() {
        challenges.close();
    }

    private static AutoCert autoCert(CertificateAuthority first, InMemoryCertificateStore store, String binding) {
        return AutoCert.builder()
                .certificateAuthorities(first, SECOND.certificateAuthority().named("Pebble B"))
                .bindingProvider(new RecordingBindingProvider(binding))
                .challengeSolver(challenges)
                .certificateStore(store)
                .networkTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Test
    void theFirstPebbleStoppedTheSecondIssuesInTheSameCheckAndTheNextRenewalAsksTheFirstAgain() {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        String binding = "http://stopped.autocert4j.test:8080";
        try (AutoCert autoCert = autoCert(FIRST.certificateAuthority().named("Pebble A"), store, binding)) {
            autoCert.manage(Enrollments.request(binding));
            FIRST.server().stop();
            int issuedBySecond = SECOND.server().issuedCount();
            try {
                CheckResult result = autoCert.checkAll();

                assertThat(result.succeeded()).as(result.toString()).isTrue();
                CertificateStatus status = autoCert.status("stopped.autocert4j.test");
                assertThat(status.certificateAuthority()).contains(SECOND.directoryUri());
                assertThat(status.skippedAuthorities().orElseThrow()).startsWith("Pebble A was skipped: Could not reach Pebble A");
                assertThat(SECOND.server().issuedCount()).isEqualTo(issuedBySecond + 1);
            } finally {
                FIRST.server().restart();
            }

            CertificateStatus renewed = autoCert.renewNow("stopped.autocert4j.test");

            assertThat(renewed.certificateAuthority()).as("renewals start at the first CA").contains(FIRST.directoryUri());
            assertThat(renewed.skippedAuthorities()).isEmpty();
            assertThat(SECOND.server().issuedCount()).isEqualTo(issuedBySecond + 1);
        }
    }

    @Test
    void aFirstCaAnswering503IsSkippedAndAskedFirstAgainAtTheNextRenewal(@TempDir Path folder) throws Exception {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        String binding = "http://portal.example.com:8080"; // the name the scripted CA issues for
        try (FakeAcmeServer scripted = new FakeAcmeServer(folder);
             AutoCert autoCert = autoCert(scripted.certificateAuthority(), store, binding)) {
            scripted.stub(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("down for maintenance")));

            CertificateStatus status = autoCert.enroll(Enrollments.request(binding));

            assertThat(status.certificateAuthority()).contains(SECOND.directoryUri());
            assertThat(status.skippedAuthorities().orElseThrow()).startsWith("Fake CA was skipped: Fake CA failed")
                    .contains("HTTP 503");

            scripted.wireMock().resetAll();
            scripted.withDirectory("{}").issuing();
            CertificateStatus renewed = autoCert.renewNow("portal.example.com");

            assertThat(renewed.certificateAuthority()).contains(scripted.directoryUri());
        }
    }

    @Test
    void aFirstCaRefusingTheNameIsSkippedBeforeAnyChallenge(@TempDir Path folder) throws Exception {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        String binding = "http://refused.autocert4j.test:8080";
        try (FakeAcmeServer scripted = new FakeAcmeServer(folder);
             AutoCert autoCert = autoCert(scripted.certificateAuthority(), store, binding)) {
            scripted.withDirectory("{}").issuing().stub(post(urlEqualTo("/order")).atPriority(1).willReturn(
                    FakeAcmeServer.problem(400, "rejectedIdentifier", "refused.autocert4j.test is on a blocklist")
                            .withHeader("Replay-Nonce", "bm9uY2UtOQ")));

            CertificateStatus status = autoCert.enroll(Enrollments.request(binding));

            assertThat(status.certificateAuthority()).contains(SECOND.directoryUri());
            assertThat(status.skippedAuthorities().orElseThrow()).contains("Fake CA was skipped")
                    .contains("is on a blocklist");
        }
    }

    @Test
    void aFailedValidationAtTheFirstCaDoesNotMoveOn(@TempDir Path folder) throws Exception {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        String binding = "http://invalid.autocert4j.test:8080";
        try (FakeAcmeServer scripted = new FakeAcmeServer(folder);
             AutoCert autoCert = autoCert(scripted.certificateAuthority(), store, binding)) {
            scripted.withDirectory("{}").issuing().failingChallenge("Connection refused");
            int issuedBySecond = SECOND.server().issuedCount();

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> autoCert.enroll(Enrollments.request(binding)))
                    .isInstanceOf(ChallengeFailedException.class);

            assertThat(SECOND.server().issuedCount()).isEqualTo(issuedBySecond);
            assertThat(autoCert.status("invalid.autocert4j.test").skippedAuthorities()).isEmpty();
        }
    }
}
