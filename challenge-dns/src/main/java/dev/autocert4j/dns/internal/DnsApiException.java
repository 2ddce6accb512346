package dev.autocert4j.dns.internal;

import dev.autocert4j.AutoCertException;

import java.time.Instant;
import java.util.Optional;

/**
 * A DNS API that refused a request, failed, rate limited it or could not be reached. The message
 * names the provider and the API's address (never a credential) and quotes the API's own message.
 */
public final class DnsApiException extends AutoCertException {

    private final int status;
    private final Instant retryAfter;

    /**
     * Creates an exception.
     *
     * @param message    what happened
     * @param status     the HTTP status, or 0 if no answer came
     * @param retryAfter when the API allows the next request, or {@code null}
     * @param cause      the underlying failure, or {@code null}
     */
    public DnsApiException(String message, int status, Instant retryAfter, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** @return the HTTP status the API answered with, or 0 if it did not answer */
    public int status() {
        return status;
    }

    /** @return when a rate-limiting API allows the next request, if it said */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
