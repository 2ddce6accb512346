package dev.autocert4j.http;

import dev.autocert4j.ChallengeTokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Looks tokens up in a {@link ChallengeTokenStore} shared by a cluster, without letting request
 * traffic become database traffic, nor letting requests for made-up tokens crowd out the CA's:
 * <ul>
 *   <li>answers are kept for {@link #KEEP_ANSWER} and misses for {@link #KEEP_MISS}, each in a
 *       bounded cache of its own, so that misses can never push an answer out;</li>
 *   <li>which requests may ask the store is decided by a {@link LookupBudget}: per address, and
 *       charged for misses only;</li>
 *   <li>a token this server publishes itself is never remembered as missing.</li>
 * </ul>
 * A request refused a lookup gets no answer (404).
 */
final class SharedTokens {

    private static final Logger LOG = LoggerFactory.getLogger(SharedTokens.class);

    static final Duration KEEP_ANSWER = Duration.ofSeconds(10);
    /**
     * Short, because a miss remembered for a token another node publishes a moment later would
     * hide it: that can only happen to a request sent before the token existed (which the CA never
     * sends: the token is stored before the CA is told to validate), or behind a lagging replica.
     */
    static final Duration KEEP_MISS = Duration.ofSeconds(1);
    static final int MAX_ANSWERS = 1_000;
    static final int MAX_MISSES = 10_000;
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private record Cached(ChallengeTokenStore.Answer answer, long until) {
    }

    private final ChallengeTokenStore store;
    private final LongSupplier nanoTime;
    private final LookupBudget budget;
    private final Map<String, Cached> answers = new ConcurrentHashMap<>();
    private final Map<String, Long> misses = new ConcurrentHashMap<>();
    private final Map<LookupBudget.Decision, Long> lastRefusalLogged = new ConcurrentHashMap<>();

    SharedTokens(ChallengeTokenStore store, LongSupplier nanoTime) {
        this.store = store;
        this.nanoTime = nanoTime;
        this.budget = new LookupBudget(nanoTime);
    }

    void put(String domain, String token, String keyAuthorization) {
        store.put(domain, token, keyAuthorization);
        misses.remove(token);
    }

    void remove(String token) {
        answers.remove(token);
        try {
            store.remove(token);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove the challenge token from the shared store; it expires there: {}", e.toString());
        }
    }

    /**
     * @param token  a well-formed token this server did not publish
     * @param client the requester's address, or {@code null} if unknown
     * @return its answer, if the store holds it and the request may ask
     */
    Optional<ChallengeTokenStore.Answer> find(String token, InetAddress client) {
        long now = nanoTime.getAsLong();
        Cached cached = answers.get(token);
        if (cached != null && now - cached.until() < 0) {
            return Optional.of(cached.answer());
        }
        Long missedUntil = misses.get(token);
        if (missedUntil != null && now - missedUntil < 0) {
            return Optional.empty();
        }
        LookupBudget.Decision decision = budget.admit(client);
        if (decision != LookupBudget.Decision.LOOK_UP) {
            logRefusal(decision, now);
            return Optional.empty();
        }
        Optional<ChallengeTokenStore.Answer> answer;
        try {
            answer = store.find(token);
        } catch (RuntimeException e) {
            LOG.warn("Could not look a challenge token up in the shared store: {}", e.toString());
            return Optional.empty();
        }
        if (answer.isPresent()) {
            remember(answers, MAX_ANSWERS, token, new Cached(answer.get(), now + KEEP_ANSWER.toNanos()),
                    entry -> now - entry.until() >= 0);
        } else {
            budget.missed(client);
            remember(misses, MAX_MISSES, token, now + KEEP_MISS.toNanos(), until -> now - until >= 0);
        }
        return answer;
    }

    /** Keeps an entry unless the cache is full of live ones; expired entries make room first. */
    private static <V> void remember(Map<String, V> cache, int max, String token, V value,
                                     Predicate<V> expired) {
        if (cache.size() >= max) {
            cache.values().removeIf(expired);
        }
        if (cache.size() < max) {
            cache.put(token, value);
        }
    }

    private void logRefusal(LookupBudget.Decision decision, long now) {
        Long last = lastRefusalLogged.get(decision);
        if (last != null && now - last < MINUTE) {
            return;
        }
        lastRefusalLogged.put(decision, now);
        switch (decision) {
            case ADDRESS_OVER_ITS_LIMIT -> LOG.warn("A client asks for many unknown challenge tokens;"
                    + " it is looked up in the shared store only while other clients leave room");
            case FLOOD_FROM_MANY_ADDRESSES -> LOG.warn("More than {} unknown challenge tokens a second are asked"
                    + " for from many addresses; only addresses that have not asked for unknown tokens lately"
                    + " are looked up", LookupBudget.MISSES_PER_SECOND);
            default -> LOG.warn("More than {} challenge lookups a second would reach the shared store;"
                    + " the rest get no answer", LookupBudget.CEILING_PER_SECOND);
        }
    }

    /** @return how many answers and misses are remembered, for tests */
    int cachedEntries() {
        return answers.size() + misses.size();
    }

    /** @return the budget, for tests */
    LookupBudget budget() {
        return budget;
    }
}
