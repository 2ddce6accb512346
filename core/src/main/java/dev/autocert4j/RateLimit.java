package dev.autocert4j;

import java.time.Duration;
import java.util.Objects;

/**
 * A CA's published limit on one kind of request, as a token bucket: up to {@link #requests()} at
 * once, refilled evenly over {@link #period()} (Let's Encrypt allows 300 new orders per account per
 * 3 hours, one more every 36 seconds). autocert4j holds its own requests under the limits of its
 * {@link CertificateAuthority}, so that issuing many certificates at once never trips the CA's.
 *
 * @param requests how many requests the bucket holds, at least 1
 * @param period   how long the bucket takes to refill from empty, positive
 * @since 0.2.0
 */
public record RateLimit(int requests, Duration period) {

    /**
     * @throws InvalidInputException if {@code requests} is below 1 or {@code period} is not positive
     */
    public RateLimit {
        Objects.requireNonNull(period, "period");
        if (requests < 1) {
            throw new InvalidInputException("requests", String.valueOf(requests), "must be at least 1");
        }
        if (period.isNegative() || period.isZero()) {
            throw new InvalidInputException("period", period.toString(), "must be positive");
        }
    }

    /**
     * @param requests how many requests the bucket holds
     * @param period   how long it takes to refill from empty
     * @return the limit
     */
    public static RateLimit of(int requests, Duration period) {
        return new RateLimit(requests, period);
    }

    /** @return the time one request's worth of the bucket takes to refill */
    public Duration refillInterval() {
        return period.dividedBy(requests);
    }

    @Override
    public String toString() {
        return requests + " per " + period.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
