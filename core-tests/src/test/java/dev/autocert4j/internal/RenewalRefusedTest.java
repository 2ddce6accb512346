package dev.autocert4j.internal;

import dev.autocert4j.KeyType;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** A name no longer allowed (an on-demand name its guard refuses now) is not renewed automatically. */
class RenewalRefusedTest {

    private static final String DOMAIN = "portal.example.com";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));
    private final InMemoryCertificateStore store = new InMemoryCertificateStore();
    private final FakeIssuer issuer = new FakeIssuer(clock);
    private final CertificateKeeper keeper = new CertificateKeeper(issuer, store,
            new RecordingBindingProvider("http://portal.example.com:8080"), new InMemoryChallengeSolver(),
            new CertificateKeeper.Settings(RenewalPolicy.standard(), clock, new SplittableRandom(7), List.of(), true,
                    5, KeyType.EC_P256, null, InstallVerifier.none()));
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

    RenewalRefusedTest() {
        keeper.renewOnlyWhen(name -> {
            asked.add(name);
            return !refused.contains(name);
        });
    }

    private void runDueChecksFor(Duration period) {
        Instant end = clock.instant().plus(period);
        while (true) {
            keeper.checkDue();
            Instant next = keeper.earliestCheck().orElseThrow();
            if (next.isAfter(end)) {
                clock.set(end);
                return;
            }
            clock.set(next);
        }
    }

    @Test
    void aDueNameThatIsNoLongerAllowedIsNotRenewedAndIsAskedAboutAgainLater() {
        keeper.enroll(Enrollments.request("http://portal.example.com:8080"));
        Instant notAfter = store.loadMetadata(DOMAIN).orElseThrow().notAfter();
        refused.add(DOMAIN);

        runDueChecksFor(Duration.between(clock.instant(), notAfter.plus(Duration.ofDays(3))));

        assertThat(issuer.calls()).as("only the first order").isEqualTo(1);
        assertThat(asked).as("asked when due, then about daily").hasSizeBetween(20, 30);

        refused.clear();
        runDueChecksFor(Duration.ofDays(2));
        assertThat(issuer.calls()).as("allowed again: renewed at the next check").isEqualTo(2);
    }

    @Test
    void aRenewalAskedForIsNotHeldBack() {
        keeper.enroll(Enrollments.request("http://portal.example.com:8080"));
        refused.add(DOMAIN);

        keeper.renewNow(DOMAIN);

        assertThat(issuer.calls()).isEqualTo(2);
    }

    @Test
    void aNameThatIsNotDueIsNotAskedAbout() {
        keeper.enroll(Enrollments.request("http://portal.example.com:8080"));

        runDueChecksFor(Duration.ofDays(30));

        assertThat(asked).isEmpty();
    }
}
