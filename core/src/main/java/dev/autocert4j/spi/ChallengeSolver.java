package dev.autocert4j.spi;

import dev.autocert4j.ChallengeType;

import java.time.Duration;

/**
 * Answers one challenge type for the certificate authority: HTTP-01 (a token served on port 80),
 * TLS-ALPN-01 (a validation certificate served on port 443) or DNS-01 (a TXT record in the zone).
 *
 * <p>For each authorization, autocert4j calls, in this order and on the one thread obtaining the
 * certificate (the caller of {@code AutoCert.enroll} or {@code renewNow}, or a renewal thread):
 * <ol>
 *   <li>{@link #present} puts the answer in place;</li>
 *   <li>{@link #awaitReady} waits until the CA will find it (a DNS record on every authoritative
 *       server, say); only if {@code present} returned;</li>
 *   <li>then the CA is asked to validate, and polled until it has;</li>
 *   <li>{@link #cleanUp} takes the answer away: always once {@code present} was called, whether the
 *       validation succeeded, failed or timed out, and also when {@code present} or
 *       {@code awaitReady} threw.</li>
 * </ol>
 * Several certificates may be obtained at once, so these methods are called from several threads
 * at once for different challenges: implementations must be thread-safe. Two challenges may share
 * an identifier (a name and its wildcard share one DNS-01 record name) but never a token.
 *
 * @since 0.2.0
 */
public interface ChallengeSolver {

    /** @return the challenge type it answers */
    ChallengeType type();

    /**
     * Puts the answer to a challenge in place.
     *
     * @param challenge the challenge, of this solver's {@link #type()}
     * @throws dev.autocert4j.AutoCertException if the answer cannot be put in place
     */
    void present(PendingChallenge challenge);

    /**
     * Waits until the certificate authority will find the answer {@link #present} put in place.
     * The default returns at once, for answers that are in place when {@code present} returns.
     *
     * @param challenge the challenge just presented
     * @param timeout   the longest it may wait
     * @throws dev.autocert4j.AutoCertException if the answer is not ready within the timeout, saying what is missing
     */
    default void awaitReady(PendingChallenge challenge, Duration timeout) {
    }

    /**
     * Takes away the answer {@link #present} put in place, and only that answer: other challenges'
     * answers for the same identifier stay. A challenge it does not know (never presented, or
     * already cleaned up) does nothing and throws nothing.
     *
     * @param challenge the challenge
     */
    void cleanUp(PendingChallenge challenge);
}
