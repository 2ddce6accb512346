package dev.autocert4j;

import java.net.URI;
import java.time.Instant;

/** The certificate authority's rate limit was reached; {@link #retryAfter()} says when to try again. */
public class RateLimitedException extends CertificateAuthorityException {

    /**
     * Creates an exception.
     *
     * @param message     what happened, with the CA's detail and retry time
     * @param problemType the ACME problem type
     * @param retryAfter  when the CA allows the next attempt, or {@code null} if it did not say
     * @param cause       the underlying failure
     */
    public RateLimitedException(String message, URI problemType, Instant retryAfter, Throwable cause) {
        super(message, problemType, retryAfter, cause);
    }
}
