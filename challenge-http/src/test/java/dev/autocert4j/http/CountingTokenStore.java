package dev.autocert4j.http;

import dev.autocert4j.ChallengeTokenStore;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A cluster's shared token store in memory, as the JDBC store keeps it, counting its lookups. */
class CountingTokenStore implements ChallengeTokenStore {

    final Map<String, Answer> tokens = new ConcurrentHashMap<>();
    /** Every lookup. */
    final AtomicInteger lookups = new AtomicInteger();
    /** Lookups of tokens nobody published. */
    final AtomicInteger madeUpLookups = new AtomicInteger();
    private final Map<String, AtomicInteger> lookupsByToken = new ConcurrentHashMap<>();

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
        lookupsByToken.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
        Answer answer = tokens.get(token);
        if (answer == null) {
            madeUpLookups.incrementAndGet();
        }
        return Optional.ofNullable(answer);
    }

    int lookupsOf(String token) {
        return lookupsByToken.getOrDefault(token, new AtomicInteger()).get();
    }
}
