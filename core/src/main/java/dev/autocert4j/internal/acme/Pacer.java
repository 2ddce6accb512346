package dev.autocert4j.internal.acme;

import dev.autocert4j.internal.HeldBackException;
import dev.autocert4j.RateLimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps one kind of request to a CA under the CA's published limit, with the same token bucket the
 * CA uses: full at start, one request's worth refilled every {@link RateLimit#refillInterval()}. A
 * request the bucket has no room for is not sent; it fails with a {@link HeldBackException} naming
 * the instant it may be sent, and the keeper tries again then. Requests held back one after another
 * get instants one refill interval apart, so they do not all come back at once. The bucket starts
 * full because a process does not know what an earlier one sent; the CA's own answer covers that.
 */
final class Pacer {

    private final RateLimit limit;
    private final Clock clock;
    private double available;
    private Instant refilledAt;
    /** The latest instant promised to a request held back. */
    private Instant lastPromised;

    /**
     * @param limit the limit, or {@code null} for none
     * @param clock the time source
     */
    Pacer(RateLimit limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
        this.available = limit == null ? 0 : limit.requests();
        this.refilledAt = clock.instant();
    }

    /**
     * Takes room for one request.
     *
     * @param caName the CA's name, for the message
     * @param what   the kind of request, such as {@code "new orders"}
     * @throws HeldBackException if the bucket has no room now; its retry time is when it will
     */
    synchronized void take(String caName, String what) {
        if (limit == null) {
            return;
        }
        Instant now = clock.instant();
        refill(now);
        if (available >= 1) {
            available -= 1;
            return;
        }
        long nanosToNext = (long) Math.ceil((1 - available) * limit.refillInterval().toNanos());
        Instant next = now.plus(Duration.ofNanos(nanosToNext));
        if (lastPromised != null && !next.isAfter(lastPromised)) {
            next = lastPromised.plus(limit.refillInterval());
        }
        lastPromised = next;
        throw new HeldBackException("Holding back: " + caName + " allows " + limit + " " + what
                + ", and that many were sent; this one is sent after " + next + ".", next);
    }

    private void refill(Instant now) {
        if (now.isAfter(refilledAt)) {
            double refilled = (double) Duration.between(refilledAt, now).toNanos() / limit.refillInterval().toNanos();
            available = Math.min(limit.requests(), available + refilled);
            refilledAt = now;
        }
    }
}
