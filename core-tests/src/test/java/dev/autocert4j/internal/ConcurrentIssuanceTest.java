package dev.autocert4j.internal;

import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Several certificates obtained at once, never more than the limit, never one name twice at once. */
class ConcurrentIssuanceTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));
    private final InMemoryCertificateStore store = new InMemoryCertificateStore();

    /**
     * An issuer whose orders wait at a barrier until {@code parties} of them are inside at once:
     * the test passes only if that many really run together. Counts how many run at once, overall
     * and per name.
     */
    private static final class GatheringIssuer implements Issuer {
        private final CyclicBarrier together;
        private final Duration lifetime;
        private final Instant now;
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger mostInside = new AtomicInteger();
        final Map<String, AtomicInteger> insideByName = new ConcurrentHashMap<>();
        final AtomicInteger mostInsideForOneName = new AtomicInteger();
        final AtomicInteger issued = new AtomicInteger();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        GatheringIssuer(int parties, Instant now) {
            this.together = new CyclicBarrier(parties);
            this.lifetime = Duration.ofDays(90);
            this.now = now;
        }

        @Override
        public IssuedCertificate obtain(Order order, ChallengeSolver solver) {
            threads.add(Thread.currentThread());
            AtomicInteger forName = insideByName.computeIfAbsent(order.domain(), name -> new AtomicInteger());
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            mostInsideForOneName.accumulateAndGet(forName.incrementAndGet(), Math::max);
            try {
                together.await(10, TimeUnit.SECONDS);
                order.beforeIssuing().run();
                issued.incrementAndGet();
                return TestCertificates.issued(order.names(), now, lifetime);
            } catch (Exception e) {
                throw new IllegalStateException("fewer orders than expected ran at once", e);
            } finally {
                forName.decrementAndGet();
                inside.decrementAndGet();
            }
        }

        @Override
        public Optional<RenewalAdvice> renewalAdvice(Supplier<X509Certificate> certificate) {
            return Optional.empty();
        }

        @Override
        public Optional<dev.autocert4j.RegisteredAccount> registeredAccount() {
            return Optional.empty();
        }

        @Override
        public dev.autocert4j.RegisteredAccount register(Registration registration) {
            throw new AssertionError("no test here registers an account");
        }

        @Override
        public void updateAccountEmail(String email) {
        }

        @Override
        public URI rolloverAccountKey() {
            return URI.create("https://ca.test/acct/1");
        }

        @Override
        public void revoke(IssuedCertificate certificate, RevocationReason reason) {
        }
    }

    private CertificateKeeper keeper(Issuer issuer, RecordingBindingProvider host, int concurrentIssuance) {
        return new CertificateKeeper(issuer, store, host, new InMemoryChallengeSolver(),
                new CertificateKeeper.Settings(RenewalPolicy.standard(), clock, new SplittableRandom(1), List.of(), false,
                        5, KeyType.EC_P256, null, InstallVerifier.none(), null, concurrentIssuance));
    }

    private static RecordingBindingProvider host(int names) {
        String[] bindings = new String[names];
        for (int i = 0; i < names; i++) {
            bindings[i] = "http://name" + i + ".example.com:8080";
        }
        return new RecordingBindingProvider(bindings);
    }

    @Test
    void dueCertificatesAreObtainedByAsManyWorkersAsTheLimitAllows() {
        GatheringIssuer issuer = new GatheringIssuer(3, clock.instant());
        RecordingBindingProvider host = host(9);
        CertificateKeeper keeper = keeper(issuer, host, 3);
        for (int i = 0; i < 9; i++) {
            keeper.manage(Enrollments.request("http://name" + i + ".example.com:8080"), true);
        }

        keeper.checkDue();

        assertThat(issuer.issued).hasValue(9);
        assertThat(issuer.mostInside).as("three at once, as the barrier demands, and never more").hasValue(3);
        assertThat(host.installed()).hasSize(9);
        assertThat(store.domains()).hasSize(9);
    }

    @Test
    void concurrentEnrollCallsShareTheLimit() throws Exception {
        GatheringIssuer issuer = new GatheringIssuer(2, clock.instant());
        RecordingBindingProvider host = host(6);
        CertificateKeeper keeper = keeper(issuer, host, 2);
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String binding = "http://name" + i + ".example.com:8080";
                calls.add(callers.submit(() -> keeper.enroll(Enrollments.request(binding))));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }

        assertThat(issuer.issued).hasValue(6);
        assertThat(issuer.mostInside).as("six callers, two orders at once").hasValue(2);
    }

    @Test
    void oneNameIsNeverOrderedTwiceAtOnce() throws Exception {
        GatheringIssuer issuer = new GatheringIssuer(1, clock.instant());
        CertificateKeeper keeper = keeper(issuer, host(1), 4);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(callers.submit(() -> keeper.enroll(Enrollments.request("http://name0.example.com:8080"))));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }

        assertThat(issuer.issued).hasValue(4);
        assertThat(issuer.mostInsideForOneName).hasValue(1);
    }

    @Test
    void checkPassesReuseTheSameNamedCheckerThreads() {
        GatheringIssuer issuer = new GatheringIssuer(3, clock.instant());
        RecordingBindingProvider host = host(3);
        CertificateKeeper keeper = keeper(issuer, host, 3);
        for (int i = 0; i < 3; i++) {
            keeper.manage(Enrollments.request("http://name" + i + ".example.com:8080"), true);
        }

        keeper.checkDue();
        clock.advance(Duration.ofDays(70)); // all three are due again, and renewed three at once
        keeper.checkDue();

        assertThat(issuer.issued).hasValue(6);
        Set<Thread> helpers = new java.util.HashSet<>(issuer.threads);
        helpers.remove(Thread.currentThread());
        assertThat(helpers).as("two checkers beside the caller, the same in both passes").hasSize(2)
                .allSatisfy(thread -> {
                    assertThat(thread.getName()).startsWith("autocert4j-check-");
                    assertThat(thread.isDaemon()).isTrue();
                });
    }

    @Test
    void afterCloseTheCheckerThreadsEnd() throws Exception {
        GatheringIssuer issuer = new GatheringIssuer(2, clock.instant()); // two orders at once: one on a checker
        CertificateKeeper keeper = keeper(issuer, host(2), 3);
        for (int i = 0; i < 2; i++) {
            keeper.manage(Enrollments.request("http://name" + i + ".example.com:8080"), true);
        }
        keeper.checkDue();
        Set<Thread> checkers = new java.util.HashSet<>(issuer.threads);
        checkers.remove(Thread.currentThread());
        assertThat(checkers).as("at least one checker beside the caller (two, if they took both names first)").isNotEmpty();

        keeper.close();

        for (Thread checker : checkers) {
            checker.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(checker.isAlive()).as(checker.getName() + " ended after the close").isFalse();
        }
    }

    @Test
    void afterCloseAPassRunsOnTheCallerAlone() {
        GatheringIssuer issuer = new GatheringIssuer(1, clock.instant());
        CertificateKeeper keeper = keeper(issuer, host(2), 3);
        keeper.close();
        for (int i = 0; i < 2; i++) {
            keeper.manage(Enrollments.request("http://name" + i + ".example.com:8080"), true);
        }

        keeper.checkDue();

        assertThat(issuer.issued).hasValue(2);
        assertThat(issuer.threads).containsOnly(Thread.currentThread());
    }
}
