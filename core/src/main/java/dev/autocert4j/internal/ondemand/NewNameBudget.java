package dev.autocert4j.internal.ondemand;

import dev.autocert4j.RateLimit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many new names may be ordered in the last period, all names together: a sliding window on
 * the injected clock. Thread-safe.
 */
final class NewNameBudget {

    private final Clock clock;
    private final RateLimit limit;
    private final Deque<Instant> taken = new ArrayDeque<>();

    NewNameBudget(Clock clock, RateLimit limit) {
        this.clock = clock;
        this.limit = limit;
    }

    /** @return whether one more name fits in the window; if so, it is counted */
    synchronized boolean tryTake() {
        Instant now = clock.instant();
        Instant windowStart = now.minus(limit.period());
        while (!taken.isEmpty() && !taken.peekFirst().isAfter(windowStart)) {
            taken.removeFirst();
        }
        if (taken.size() >= limit.requests()) {
            return false;
        }
        taken.addLast(now);
        return true;
    }
}
