package dev.autocert4j.internal.ondemand;

import dev.autocert4j.OnDemandGuard;
import dev.autocert4j.OnDemandIssuance;
import dev.autocert4j.RateLimit;
import dev.autocert4j.tls.SniKeyManager;
import dev.autocert4j.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate in front of on-demand issuance, attacked one rule at a time. */
class OnDemandGateTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger guardCalls = new AtomicInteger();
    private final List<String> ordered = new ArrayList<>();
    private final Set<String> configured = ConcurrentHashMap.newKeySet();
    private final AtomicInteger onDemandCertificates = new AtomicInteger();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private OnDemandIssuance.Builder settings(OnDemandGuard guard) {
        return OnDemandIssuance.builder().guard(name -> {
            guardCalls.incrementAndGet();
            return guard.allows(name);
        }).keyManager(new SniKeyManager());
    }

    private OnDemandGate gate(OnDemandIssuance.Builder settings) {
        return gate(settings, name -> {
            synchronized (ordered) {
                ordered.add(name);
            }
        });
    }

    private OnDemandGate gate(OnDemandIssuance.Builder settings, OnDemandGate.Obtainer obtainer) {
        return new OnDemandGate(settings.build(), obtainer, executor, clock, configured::contains,
                onDemandCertificates::get);
    }

    private static boolean outcome(CompletableFuture<Boolean> decision) throws Exception {
        return decision.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aStormOfOneHundredHandshakesForANewNameCallsTheGuardOnceAndOrdersOnce() throws Exception {
        CountDownLatch guardEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OnDemandGate gate = gate(settings(name -> {
            guardEntered.countDown();
            return release.await(BOUND.toSeconds(), TimeUnit.SECONDS);
        }));

        List<CompletableFuture<Boolean>> decisions = new ArrayList<>();
        decisions.add(gate.request("shop.customer.test"));
        assertThat(guardEntered.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 100; i++) {
            decisions.add(gate.request(i % 2 == 0 ? "shop.customer.test" : "SHOP.Customer.test."));
        }
        release.countDown();

        for (CompletableFuture<Boolean> decision : decisions) {
            assertThat(outcome(decision)).isTrue();
        }
        assertThat(guardCalls).hasValue(1);
        assertThat(ordered).containsExactly("shop.customer.test");
    }

    @Test
    void aRefusedNameIsRememberedSoAStormAsksTheGuardOnceUntilTheMemoryPasses() throws Exception {
        OnDemandGate gate = gate(settings(name -> false).refusalMemory(Duration.ofMinutes(10), 100));

        assertThat(outcome(gate.request("evil.attacker.test"))).isFalse();
        for (int i = 0; i < 100; i++) {
            assertThat(outcome(gate.request("evil.attacker.test"))).isFalse();
        }
        assertThat(guardCalls).hasValue(1);

        clock.advance(Duration.ofMinutes(10));
        assertThat(outcome(gate.request("evil.attacker.test"))).isFalse();
        assertThat(guardCalls).as("asked again once the memory has passed").hasValue(2);
        assertThat(ordered).isEmpty();
    }

    @Test
    void theRefusalMemoryIsBoundedAndForgetsTheOldestFirst() throws Exception {
        OnDemandGate gate = gate(settings(name -> false).refusalMemory(Duration.ofHours(1), 2));

        for (String name : List.of("a.attacker.test", "b.attacker.test", "c.attacker.test")) {
            assertThat(outcome(gate.request(name))).isFalse();
        }
        assertThat(outcome(gate.request("c.attacker.test"))).isFalse();
        assertThat(guardCalls).as("c is remembered").hasValue(3);
        assertThat(outcome(gate.request("a.attacker.test"))).isFalse();
        assertThat(guardCalls).as("a was forgotten: at most two names are kept").hasValue(4);
    }

    @Test
    void aFailedOrderIsRememberedSoTheCaIsNotAskedAgainAtEveryHandshake() throws Exception {
        AtomicInteger orders = new AtomicInteger();
        OnDemandGate gate = gate(settings(name -> true), name -> {
            orders.incrementAndGet();
            throw new IllegalStateException("the CA could not validate " + name);
        });

        assertThat(outcome(gate.request("unpointed.customer.test"))).isFalse();
        for (int i = 0; i < 20; i++) {
            assertThat(outcome(gate.request("unpointed.customer.test"))).isFalse();
        }
        assertThat(orders).hasValue(1);
        assertThat(guardCalls).hasValue(1);
    }

    @Test
    void aGuardThatFailsRefusesAndNeverAllows() throws Exception {
        OnDemandGate gate = gate(settings(name -> {
            throw new java.io.IOException("the customer database is down");
        }));

        assertThat(outcome(gate.request("shop.customer.test"))).isFalse();
        assertThat(ordered).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "1.2.3.4", "[::1]", "::1", "localhost", "portal.localhost",
            "printer.local", "intranet", "com", "bad_name.customer.test", "-lead.customer.test", "trail-.customer.test",
            "a..b.test", ".customer.test", "*.customer.test", "name with space.test", "xn--ls8h.test\u0000",
            "1.2.3.4.5", "shop.customer.123", "unconfigured.portal.example.com", "portal.example.com.evil",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.customer.test"})
    void namesThatFailTheNameChecksAreRefusedWithoutAskingAnyone(String name) throws Exception {
        OnDemandGate gate = gate(settings(allowed -> true).ownDomains("example.com", "example.com.evil"));

        assertThat(outcome(gate.request(name))).isFalse();
        assertThat(guardCalls).as("the guard is not asked about %s", name).hasValue(0);
        assertThat(ordered).isEmpty();
    }

    @Test
    void anOverLongNameIsRefusedWithoutAskingAnyone() throws Exception {
        OnDemandGate gate = gate(settings(allowed -> true));
        String longName = ("a".repeat(60) + ".").repeat(4) + "customer.test";

        assertThat(longName.length()).isGreaterThan(253);
        assertThat(outcome(gate.request(longName))).isFalse();
        assertThat(guardCalls).hasValue(0);
    }

    @Test
    void aConfiguredNameUnderTheOwnDomainIsAskedAboutButAnotherIsNot() throws Exception {
        configured.add("portal.example.com");
        OnDemandGate gate = gate(settings(allowed -> true).ownDomains(".example.com"));

        assertThat(outcome(gate.request("portal.example.com"))).isTrue();
        assertThat(outcome(gate.request("typo.example.com"))).isFalse();
        assertThat(outcome(gate.request("shop.customer.test"))).isTrue();
        assertThat(ordered).containsExactly("portal.example.com", "shop.customer.test");
    }

    @Test
    void newNamesPerPeriodAreLimitedOnTheClock() throws Exception {
        OnDemandGate gate = gate(settings(name -> true).newNames(RateLimit.of(2, Duration.ofMinutes(1))));

        assertThat(outcome(gate.request("a.customer.test"))).isTrue();
        assertThat(outcome(gate.request("b.customer.test"))).isTrue();
        assertThat(outcome(gate.request("c.customer.test"))).as("third new name within the minute").isFalse();
        assertThat(ordered).containsExactly("a.customer.test", "b.customer.test");

        clock.advance(Duration.ofMinutes(1));
        assertThat(outcome(gate.request("c.customer.test"))).as("not remembered as refused: the budget refilled")
                .isTrue();
        assertThat(ordered).containsExactly("a.customer.test", "b.customer.test", "c.customer.test");
    }

    @Test
    void namesInFlightAreLimitedAndTheOneOverIsRefusedWithoutAskingTheGuard() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch bothOrdering = new CountDownLatch(2);
        OnDemandGate gate = gate(settings(name -> true).namesInFlight(2), name -> {
            bothOrdering.countDown();
            release.await(BOUND.toSeconds(), TimeUnit.SECONDS);
        });

        CompletableFuture<Boolean> a = gate.request("a.customer.test");
        CompletableFuture<Boolean> b = gate.request("b.customer.test");
        assertThat(bothOrdering.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(outcome(gate.request("c.customer.test"))).isFalse();
        assertThat(guardCalls).hasValue(2);

        release.countDown();
        assertThat(outcome(a)).isTrue();
        assertThat(outcome(b)).isTrue();
        assertThat(outcome(gate.request("c.customer.test"))).as("not remembered: room again").isTrue();
    }

    @Test
    void theTotalOfOnDemandCertificatesIsLimited() throws Exception {
        onDemandCertificates.set(3);
        OnDemandGate gate = gate(settings(name -> true).maxCertificates(3));

        assertThat(outcome(gate.request("d.customer.test"))).isFalse();
        assertThat(ordered).isEmpty();

        onDemandCertificates.set(2);
        assertThat(outcome(gate.request("d.customer.test"))).isTrue();
        assertThat(ordered).containsExactly("d.customer.test");
    }

    @Test
    void aNameStillAllowedIsRenewedAndOneRefusedNowIsNot() {
        Set<String> allowed = ConcurrentHashMap.newKeySet();
        allowed.add("shop.customer.test");
        OnDemandGate gate = gate(settings(allowed::contains));

        assertThat(gate.stillAllowed("shop.customer.test")).isTrue();
        allowed.clear();
        assertThat(gate.stillAllowed("shop.customer.test")).isFalse();
        assertThat(gate.stillAllowed("127.0.0.1")).isFalse();
    }
}
