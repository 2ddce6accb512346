package dev.autocert4j.testkit;

import dev.autocert4j.ChallengeResponder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps published tokens in memory without serving them, for tests of the deprecated
 * {@link ChallengeResponder} path whose CA never validates; {@link InMemoryChallengeSolver} is its
 * successor.
 */
@SuppressWarnings("deprecation") // tests that the 0.1 interface keeps working
public final class InMemoryChallengeResponder implements ChallengeResponder {

    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    @Override
    public void publish(String token, String keyAuthorization) {
        tokens.put(token, keyAuthorization);
    }

    @Override
    public void withdraw(String token) {
        tokens.remove(token);
    }

    /** @return the tokens published now */
    public Map<String, String> tokens() {
        return Map.copyOf(tokens);
    }
}
