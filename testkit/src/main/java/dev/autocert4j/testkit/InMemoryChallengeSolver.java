package dev.autocert4j.testkit;

import dev.autocert4j.ChallengeType;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.PendingChallenge;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ChallengeSolver} that keeps the challenges presented to it in memory without answering
 * them anywhere, for tests whose CA never validates, and remembers every call so that tests can
 * check that each presented challenge was cleaned up.
 *
 * @since 0.2.0
 */
public final class InMemoryChallengeSolver implements ChallengeSolver {

    private final ChallengeType type;
    private final Map<String, PendingChallenge> pending = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    /** Creates an HTTP-01 solver. */
    public InMemoryChallengeSolver() {
        this(ChallengeType.HTTP_01);
    }

    /**
     * Creates a solver of any type.
     *
     * @param type the challenge type it answers
     */
    public InMemoryChallengeSolver(ChallengeType type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    public ChallengeType type() {
        return type;
    }

    @Override
    public void present(PendingChallenge challenge) {
        calls.add("present " + challenge.identifier());
        pending.put(challenge.token(), challenge);
    }

    @Override
    public void awaitReady(PendingChallenge challenge, Duration timeout) {
        calls.add("awaitReady " + challenge.identifier());
    }

    @Override
    public void cleanUp(PendingChallenge challenge) {
        calls.add("cleanUp " + challenge.identifier());
        pending.remove(challenge.token());
    }

    /** @return the challenges presented and not cleaned up yet, by token */
    public Map<String, PendingChallenge> pending() {
        return Map.copyOf(pending);
    }

    /** @return every call so far, in order, such as {@code "present portal.example.com"} */
    public List<String> calls() {
        return List.copyOf(calls);
    }
}
