package dev.autocert4j;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A CA's published limit on one kind of request, as a token bucket: up to {@link #requests()} at
 * once, refilled evenly over {@link #period()} (Let's Encrypt allows 300 new orders per account per
 * 3 hours, one more every 36 seconds). autocert4j holds its own requests under the limits of its
 * {@link CertificateAuthority}, so that issuing many certificates at once never trips the CA's.
 * Immutable.
 *
 * @since 0.2.0
 */
public final class RateLimit {

    private final int requests;
    private final Duration period;

    private RateLimit(int requests, Duration period) {
        this.requests = requests;
        this.period = period;
    }

    /**
     * @param requests how many requests the bucket holds, at least 1
     * @param period   how long it takes to refill from empty, positive
     * @return the limit
     * @throws InvalidInputException if {@code requests} is below 1 or {@code period} is not positive
     */
    public static RateLimit of(int requests, Duration period) {
        Objects.requireNonNull(period, "period");
        if (requests < 1) {
            throw new InvalidInputException("requests", String.valueOf(requests), "must be at least 1");
        }
        if (period.isNegative() || period.isZero()) {
            throw new InvalidInputException("period", period.toString(), "must be positive");
        }
        return new RateLimit(requests, period);
    }

    /** @return how many requests the bucket holds */
    public int requests() {
        return requests;
    }

    /** @return how long the bucket takes to refill from empty */
    public Duration period() {
        return period;
    }

    /** @return the time one request's worth of the bucket takes to refill */
    public Duration refillInterval() {
        return period.dividedBy(requests);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RateLimit limit && limit.requests == requests && limit.period.equals(period);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requests, period);
    }

    /** @return such as {@code 300 per 3h} */
    @Override
    public String toString() {
        return requests + " per " + period.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
