package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many names issued at once by a real Pebble: every certificate obtained with the one account,
 * and new orders held under a rate limit set on the CA rather than sent to be refused.
 */
class ConcurrentIssuanceIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private final InMemoryCertificateStore store = new InMemoryCertificateStore();
    private TestChallengeServer challenges;

    @BeforeEach
    void startChallengeServer() throws Exception {
        challenges = new TestChallengeServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), PEBBLE.httpChallengePort()));
    }

    @AfterEach
    void stopChallengeServer() {
        challenges.close();
    }

    private static List<String> bindings(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> "http://" + prefix + i + ".concurrent.test:8080").toList();
    }

    private AutoCert autoCert(CertificateAuthority ca, List<String> bindings, int concurrentIssuance) {
        return AutoCert.builder().certificateAuthority(ca)
                .bindingProvider(new RecordingBindingProvider(bindings.toArray(new String[0])))
                .challengeSolver(challenges).certificateStore(store).concurrentIssuance(concurrentIssuance).build();
    }

    @Test
    void sixteenNamesDueTogetherAreIssuedEightAtATimeWithOneAccount() {
        List<String> bindings = bindings("n", 16);
        int issuedBefore = PEBBLE.server().issuedCount();
        try (AutoCert autoCert = autoCert(PEBBLE.certificateAuthority(), bindings, 8)) {
            bindings.forEach(binding -> autoCert.manage(Enrollments.request(binding)));

            autoCert.checkNow();

            URI account = store.loadAccount(PEBBLE.directoryUri()).orElseThrow().location();
            for (String domain : autoCert.managedDomains()) {
                CertificateStatus status = autoCert.status(domain);
                assertThat(status.lastError()).as(domain).isNull();
                assertThat(status.serialNumber()).as(domain).isNotNull();
                assertThat(store.loadMetadata(domain).orElseThrow().accountLocation()).as(domain).isEqualTo(account);
            }
        }
        assertThat(store.domains()).hasSize(16);
        assertThat(PEBBLE.server().issuedCount() - issuedBefore).as("one order each").isEqualTo(16);
    }

    @Test
    void ordersBeyondTheCasLimitAreHeldBackAndScheduledNotSent() {
        List<String> bindings = bindings("paced", 5);
        CertificateAuthority limited = PEBBLE.certificateAuthority().withNewOrderLimit(RateLimit.of(3, Duration.ofHours(1)));
        int issuedBefore = PEBBLE.server().issuedCount();
        Instant before = Instant.now();
        try (AutoCert autoCert = autoCert(limited, bindings, 4)) {
            bindings.forEach(binding -> autoCert.manage(Enrollments.request(binding)));

            autoCert.checkNow();

            List<CertificateStatus> heldBack = autoCert.managedDomains().stream().map(autoCert::status)
                    .filter(status -> status.serialNumber() == null).toList();
            assertThat(heldBack).hasSize(2);
            assertThat(heldBack).allSatisfy(status -> {
                assertThat(status.lastError()).startsWith("Holding back: Pebble allows 3 per 1h new orders");
                assertThat(status.consecutiveFailures()).as("not a failure of the name").isZero();
                assertThat(status.nextCheck()).isAfter(before.plus(Duration.ofMinutes(19)));
            });
            assertThat(heldBack.get(0).nextCheck()).as("one refill interval apart")
                    .isNotEqualTo(heldBack.get(1).nextCheck());
        }
        assertThat(PEBBLE.server().issuedCount() - issuedBefore).isEqualTo(3);
    }
}
