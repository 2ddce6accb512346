package dev.autocert4j.http;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A responder of one cluster node over a store all nodes share; time is a counter the test moves. */
class SharedTokensTest {

    private static final String PATH = Http01Responder.PATH_PREFIX;

    private final CountingTokenStore store = new CountingTokenStore();
    private final AtomicLong nanos = new AtomicLong();
    private final Http01Responder nodeA = Http01Responder.sharedThrough(store, nanos::get);
    private final Http01Responder nodeB = Http01Responder.sharedThrough(store, nanos::get);

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void aTokenOneNodePublishesIsAnsweredByTheOther() {
        nodeA.publish("portal.example.com", "tok-1", "tok-1.thumb");

        assertThat(nodeB.answer("GET", PATH + "tok-1")).contains("tok-1.thumb");
        assertThat(store.tokens).containsKey("tok-1");
        assertThat(nodeB.publishedCount()).as("B published nothing itself").isZero();

        nodeA.withdraw("tok-1");
        assertThat(store.tokens).isEmpty();
    }

    @Test
    void answersAreKeptForSecondsAndMissesForOneSoTheStoreIsNotAskedAtEveryRequest() {
        assertThat(nodeB.answer("GET", PATH + "tok-2")).isEmpty();
        nodeA.publish("portal.example.com", "tok-2", "tok-2.thumb");
        assertThat(nodeB.answer("GET", PATH + "tok-2")).as("the miss is kept for a second").isEmpty();

        advance(Duration.ofSeconds(1));
        assertThat(nodeB.answer("GET", PATH + "tok-2")).contains("tok-2.thumb");
        int lookups = store.lookups.get();
        for (int i = 0; i < 50; i++) {
            assertThat(nodeB.answer("GET", PATH + "tok-2")).contains("tok-2.thumb");
        }
        assertThat(store.lookups.get()).isEqualTo(lookups);
        assertThat(lookups).isEqualTo(2);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** The CA's validator: it asks only for tokens that exist. */
    private static final InetAddress CA = address("192.0.2.10");

    private static InetAddress attacker(int number) {
        return address("198.51." + (100 + number / 250) + "." + (1 + number % 250));
    }

    private Optional<String> ask(Http01Responder node, String token, InetAddress client) {
        return node.answer("GET", PATH + token, null, client);
    }

    @Test
    void anAddressOverItsLimitGetsOnlyWhatTheOtherAddressesLeave() {
        assertThat(ask(nodeB, "first-miss", attacker(2))).isEmpty(); // attacker 2 has missed once now
        store.lookups.set(0);

        for (int i = 0; i < 1_000; i++) {
            assertThat(ask(nodeB, "made-up-" + i, attacker(1))).isEmpty();
        }
        assertThat(store.lookups.get()).as("its own burst, then the allowance down to the reserve")
                .isEqualTo(LookupBudget.MISSES_PER_SECOND - 1 - LookupBudget.RESERVE);

        for (int i = 0; i < 100; i++) {
            ask(nodeB, "other-" + i, attacker(2));
        }
        assertThat(store.lookups.get()).as("the reserve serves an address within its own limit")
                .isEqualTo(LookupBudget.MISSES_PER_SECOND - 1 - LookupBudget.RESERVE + LookupBudget.ADDRESS_BURST - 1);
    }

    @Test
    void oneAddressIsNeverRefusedOutrightBecauseBehindABalancerItCarriesTheCaToo() {
        InetAddress balancer = attacker(3);
        for (int step = 0; step < 1_000; step++) {
            for (int i = 0; i < 10; i++) {
                ask(nodeB, "made-up-" + step + "-" + i, balancer);
            }
            advance(Duration.ofMillis(10));
        }
        assertThat(store.lookups.get()).as("10 s at the shared allowance, as before there were limits per address")
                .isGreaterThanOrEqualTo(10 * LookupBudget.MISSES_PER_SECOND);
    }

    @Test
    void anAddressFloodingMadeUpTokensDoesNotKeepTheCaFromAnotherNodesToken() {
        for (int i = 0; i < 1_000; i++) {
            ask(nodeB, "made-up-" + i, attacker(1));
        }
        nodeA.publish("portal.example.com", "tok-6", "tok-6.thumb");

        assertThat(ask(nodeB, "tok-6", CA)).contains("tok-6.thumb");
        assertThat(ask(nodeB, "tok-6", attacker(1))).as("a cached answer, whoever asks").contains("tok-6.thumb");
    }

    @Test
    void aFloodFromManyAddressesUsesTheSharedAllowanceButTheCaIsStillLookedUp() {
        nodeA.publish("portal.example.com", "tok-7", "tok-7.thumb");
        for (int second = 0; second < 5; second++) {
            for (int i = 0; i < 1_000; i++) {
                assertThat(ask(nodeB, "made-up-" + second + "-" + i, attacker(i))).isEmpty();
            }
            advance(Duration.ofSeconds(1));
        }
        assertThat(store.lookups.get()).as("each new address once, then the shared allowance a second")
                .isEqualTo(1_000 + 4 * LookupBudget.MISSES_PER_SECOND);

        assertThat(ask(nodeB, "tok-7", CA)).contains("tok-7.thumb");
    }

    @Test
    void anAddressThatMissedLatelyWaitsForTheSharedAllowanceLikeTheRest() {
        assertThat(ask(nodeB, "made-up-0", attacker(0))).isEmpty();
        for (int i = 1; i <= LookupBudget.MISSES_PER_SECOND; i++) {
            ask(nodeB, "made-up-" + i, attacker(i));
        }
        nodeA.publish("portal.example.com", "tok-8", "tok-8.thumb");
        int lookups = store.lookups.get();

        assertThat(ask(nodeB, "tok-8", attacker(0))).as("missed a moment ago, allowance used up").isEmpty();
        assertThat(store.lookups.get()).isEqualTo(lookups);
        assertThat(ask(nodeB, "tok-8", CA)).contains("tok-8.thumb");
    }

    @Test
    void theCaIsNeverChargedForTokensThatExist() {
        for (int i = 0; i < 200; i++) {
            nodeA.publish("n" + i + ".example.com", "tok-9-" + i, "tok-9-" + i + ".thumb");
        }
        for (int i = 0; i < 200; i++) {
            assertThat(ask(nodeB, "tok-9-" + i, CA)).as("token %d", i).contains("tok-9-" + i + ".thumb");
        }
        assertThat(store.lookups.get()).isEqualTo(200);
    }

    @Test
    void anIpv6ClientIsLimitedByItsSlash64() {
        for (int i = 0; i < 1_000; i++) {
            ask(nodeB, "made-up-" + i, address("2001:db8:1:2::" + Integer.toHexString(i + 1)));
        }
        assertThat(store.lookups.get()).as("as one address over its limit")
                .isEqualTo(LookupBudget.MISSES_PER_SECOND - LookupBudget.RESERVE);

        ask(nodeB, "other", address("2001:db8:1:3::1"));
        assertThat(store.lookups.get()).as("another /64").isEqualTo(LookupBudget.MISSES_PER_SECOND - LookupBudget.RESERVE + 1);
    }

    @Test
    void missesNeverPushAKnownAnswerOutOfTheCache() {
        nodeA.publish("portal.example.com", "tok-10", "tok-10.thumb");
        List<Integer> lookedUpAt = new ArrayList<>();
        // 106 s of made-up tokens at the shared allowance, from addresses that each miss once a minute,
        // while the CA asks for a known token every second from the fifth on
        for (int step = 0; step < 10_600; step++) {
            if (step % 100 == 0 && step >= 500) {
                int before = store.lookupsOf("tok-10");
                assertThat(ask(nodeB, "tok-10", CA)).as("at step %d", step).contains("tok-10.thumb");
                if (store.lookupsOf("tok-10") > before) {
                    lookedUpAt.add(step / 100);
                }
            }
            ask(nodeB, "made-up-" + step, attacker(step % 6_000));
            advance(Duration.ofMillis(10));
        }
        assertThat(store.lookups.get()).as("every made-up token was looked up").isGreaterThan(10_600);
        assertThat(lookedUpAt).as("the seconds it was looked up in: again only when its 10 s were over")
                .containsExactly(5, 15, 25, 35, 45, 55, 65, 75, 85, 95, 105);
        assertThat(nodeB.sharedTokens().cachedEntries()).isLessThanOrEqualTo(SharedTokens.MAX_ANSWERS
                + SharedTokens.MAX_MISSES);
    }

    @Test
    void aMissIsNeverRememberedForATokenThisNodeThenPublishes() {
        assertThat(ask(nodeB, "tok-11", CA)).isEmpty();

        nodeB.publish("portal.example.com", "tok-11", "tok-11.thumb");

        assertThat(ask(nodeB, "tok-11", CA)).contains("tok-11.thumb");
        assertThat(ask(nodeA, "tok-11", CA)).as("another node, which never missed it").contains("tok-11.thumb");
    }

    @Test
    void aRequestWhoseAddressIsUnknownGetsOnlyTheSharedAllowance() {
        for (int i = 0; i < 1_000; i++) {
            nodeB.answer("GET", PATH + "made-up-" + i, null, null);
        }
        assertThat(store.lookups.get()).isEqualTo(LookupBudget.MISSES_PER_SECOND);
    }

    @Test
    void aStoreThatFailsGivesNoAnswerRatherThanAnError() {
        Http01Responder node = Http01Responder.sharedThrough(new CountingTokenStore() {
            @Override
            public Optional<Answer> find(String token) {
                throw new IllegalStateException("database down");
            }
        }, nanos::get);

        assertThat(node.answer("GET", PATH + "tok-4")).isEmpty();
    }

    @Test
    void theLocalTokensAnswerWithoutTheStore() {
        nodeA.publish("portal.example.com", "tok-5", "tok-5.thumb");
        int lookups = store.lookups.get();

        assertThat(nodeA.answer("GET", PATH + "tok-5")).contains("tok-5.thumb");
        assertThat(store.lookups.get()).isEqualTo(lookups);
    }
}
