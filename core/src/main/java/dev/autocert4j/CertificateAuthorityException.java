package dev.autocert4j;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * The certificate authority refused a request, answered with something that is not ACME, or could
 * not be reached. Where the CA said when to try again, {@link #retryAfter()} has it.
 */
public class CertificateAuthorityException extends AutoCertException {

    /** The ACME problem type the CA sent, or null. */
    private final URI problemType;
    /** When the CA asked to be contacted again, or null. */
    private final Instant retryAfter;

    /**
     * Creates an exception.
     *
     * @param message     what happened, including the CA's own problem detail
     * @param problemType the ACME problem type, such as {@code urn:ietf:params:acme:error:badNonce}, or {@code null}
     * @param retryAfter  when the CA said to try again, or {@code null}
     * @param cause       the underlying failure, or {@code null}
     */
    public CertificateAuthorityException(String message, URI problemType, Instant retryAfter, Throwable cause) {
        super(message, cause);
        this.problemType = problemType;
        this.retryAfter = retryAfter;
    }

    /** @return the ACME problem type the CA sent, if any */
    public Optional<URI> problemType() {
        return Optional.ofNullable(problemType);
    }

    /** @return when the CA asked to be contacted again, if it said */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
