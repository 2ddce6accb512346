package dev.autocert4j;

import java.net.URI;
import java.time.Instant;
import java.util.Set;

/**
 * Decides whether a failed attempt to obtain a certificate from one CA moves on to the next CA of
 * the list given to {@code AutoCert.Builder.certificateAuthorities}, in the same attempt.
 * {@link #standard()} moves on when the CA is unreachable or answers 5xx, rate-limits beyond the
 * next check, or refuses an identifier; a failed validation does not (another CA would validate
 * the same way).
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface FallbackPolicy {

    /** The ACME problem types of a CA refusing a name it will not issue for. */
    Set<URI> IDENTIFIER_REFUSED = Set.of(URI.create("urn:ietf:params:acme:error:rejectedIdentifier"),
            URI.create("urn:ietf:params:acme:error:unsupportedIdentifier"),
            URI.create("urn:ietf:params:acme:error:caa"));

    /**
     * Says whether to try the next CA after this one failed.
     *
     * @param ca        the CA that failed
     * @param failure   why it failed
     * @param nextCheck when the certificate would be looked at again without another CA
     * @return {@code true} to try the next CA now
     */
    boolean tryNext(CertificateAuthority ca, AutoCertException failure, Instant nextCheck);

    /**
     * @return the policy that moves on when the CA is unavailable, rate-limits past {@code nextCheck}
     *         (or says no time), or refuses an identifier
     */
    static FallbackPolicy standard() {
        return (ca, failure, nextCheck) -> {
            if (failure instanceof CertificateAuthorityUnavailableException) {
                return true;
            }
            if (failure instanceof RateLimitedException limited) {
                return limited.retryAfter().map(retry -> retry.isAfter(nextCheck)).orElse(true);
            }
            return failure instanceof CertificateAuthorityException refused
                    && refused.problemType().filter(IDENTIFIER_REFUSED::contains).isPresent();
        };
    }

    /** @return the policy that never tries another CA: every failure is the attempt's */
    static FallbackPolicy never() {
        return (ca, failure, nextCheck) -> false;
    }
}
