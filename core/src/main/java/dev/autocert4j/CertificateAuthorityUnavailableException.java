package dev.autocert4j;

import java.net.URI;
import java.time.Instant;

/**
 * The certificate authority could not be reached (connection refused, timeout, TLS failure) or
 * answered with a server error (HTTP 5xx, ACME {@code serverInternal}): the CA is down, not the
 * request wrong. With several CAs configured, the next one is tried.
 *
 * @since 0.2.0
 */
public class CertificateAuthorityUnavailableException extends CertificateAuthorityException {

    /**
     * Creates an exception.
     *
     * @param message     what happened, naming the CA
     * @param problemType the ACME problem type, or {@code null}
     * @param retryAfter  when the CA said to try again, or {@code null}
     * @param cause       the underlying failure, or {@code null}
     */
    public CertificateAuthorityUnavailableException(String message, URI problemType, Instant retryAfter,
                                                    Throwable cause) {
        super(message, problemType, retryAfter, cause);
    }
}
