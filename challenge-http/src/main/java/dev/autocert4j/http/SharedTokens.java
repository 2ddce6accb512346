package dev.autocert4j.http;

import dev.autocert4j.ChallengeTokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Looks tokens up in a {@link ChallengeTokenStore} shared by a cluster, without letting request
 * traffic become database traffic: answers are kept for a few seconds, misses for one, and at most
 * {@value #LOOKUPS_PER_SECOND} lookups a second reach the store (beyond that a request gets no
 * answer; the CA retries from elsewhere).
 */
final class SharedTokens {

    private static final Logger LOG = LoggerFactory.getLogger(SharedTokens.class);

    static final int LOOKUPS_PER_SECOND = 100;
    static final Duration KEEP_ANSWER = Duration.ofSeconds(10);
    static final Duration KEEP_MISS = Duration.ofSeconds(1);
    private static final int MAX_CACHED = 10_000;
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private record Cached(ChallengeTokenStore.Answer answer, long until) {
    }

    private final ChallengeTokenStore store;
    private final LongSupplier nanoTime;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private long windowStart;
    private int lookupsInWindow;
    private long lastRefusalLogged = Long.MIN_VALUE;

    SharedTokens(ChallengeTokenStore store, LongSupplier nanoTime) {
        this.store = store;
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    void put(String domain, String token, String keyAuthorization) {
        store.put(domain, token, keyAuthorization);
    }

    void remove(String token) {
        cache.remove(token);
        try {
            store.remove(token);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove the challenge token from the shared store; it expires there: {}", e.toString());
        }
    }

    Optional<ChallengeTokenStore.Answer> find(String token) {
        long now = nanoTime.getAsLong();
        Cached cached = cache.get(token);
        if (cached != null && now - cached.until() < 0) {
            return Optional.ofNullable(cached.answer());
        }
        if (!mayLookUp(now)) {
            return Optional.empty();
        }
        Optional<ChallengeTokenStore.Answer> answer;
        try {
            answer = store.find(token);
        } catch (RuntimeException e) {
            LOG.warn("Could not look a challenge token up in the shared store: {}", e.toString());
            return Optional.empty();
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        long keep = (answer.isPresent() ? KEEP_ANSWER : KEEP_MISS).toNanos();
        cache.put(token, new Cached(answer.orElse(null), now + keep));
        return answer;
    }

    private synchronized boolean mayLookUp(long now) {
        if (now - windowStart >= SECOND) {
            windowStart = now;
            lookupsInWindow = 0;
        }
        if (lookupsInWindow < LOOKUPS_PER_SECOND) {
            lookupsInWindow++;
            return true;
        }
        if (lastRefusalLogged == Long.MIN_VALUE || now - lastRefusalLogged >= 60 * SECOND) {
            lastRefusalLogged = now;
            LOG.warn("More than {} challenge lookups a second reach this server; the rest get no answer",
                    LOOKUPS_PER_SECOND);
        }
        return false;
    }
}
