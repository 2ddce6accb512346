package dev.autocert4j.http;

import dev.autocert4j.ChallengeTokenStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A responder of one cluster node over a store all nodes share; time is a counter the test moves. */
class SharedTokensTest {

    private static final String PATH = Http01Responder.PATH_PREFIX;

    /** The store every node shares, counting lookups. */
    private static class SharedStore implements ChallengeTokenStore {
        final Map<String, Answer> tokens = new ConcurrentHashMap<>();
        final AtomicInteger lookups = new AtomicInteger();

        @Override
        public void put(String domain, String token, String keyAuthorization) {
            tokens.put(token, new Answer(domain, keyAuthorization));
        }

        @Override
        public void remove(String token) {
            tokens.remove(token);
        }

        @Override
        public Optional<Answer> find(String token) {
            lookups.incrementAndGet();
            return Optional.ofNullable(tokens.get(token));
        }
    }

    private final SharedStore store = new SharedStore();
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

    @Test
    void madeUpTokensReachTheStoreAtMostAHundredTimesASecond() {
        for (int i = 0; i < 1_000; i++) {
            nodeB.answer("GET", PATH + "made-up-" + i);
        }
        assertThat(store.lookups.get()).isEqualTo(SharedTokens.LOOKUPS_PER_SECOND);

        advance(Duration.ofSeconds(1));
        nodeA.publish("portal.example.com", "tok-3", "tok-3.thumb");
        assertThat(nodeB.answer("GET", PATH + "tok-3")).as("a new second, a new allowance").contains("tok-3.thumb");
    }

    @Test
    void aStoreThatFailsGivesNoAnswerRatherThanAnError() {
        Http01Responder node = Http01Responder.sharedThrough(new SharedStore() {
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
