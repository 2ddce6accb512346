package dev.autocert4j.internal;

import dev.autocert4j.RateLimitedException;

import java.time.Instant;

/**
 * A request autocert4j did not send, to stay under the CA's published rate limit: not a failure of
 * the name (its retries do not back off), only a later start, at {@link #retryAfter()}.
 */
public final class HeldBackException extends RateLimitedException {

    /**
     * @param message    what was held back and why
     * @param retryAfter when the request may be sent
     */
    public HeldBackException(String message, Instant retryAfter) {
        super(message, null, retryAfter, null);
    }
}
