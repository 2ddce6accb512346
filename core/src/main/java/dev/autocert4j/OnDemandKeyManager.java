package dev.autocert4j;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A TLS key manager that can obtain certificates on demand, such as
 * {@link dev.autocert4j.tls.SniKeyManager}: a handshake for a name nothing is served for asks an
 * {@link OnDemandCertificates} and waits a bounded time for the answer.
 *
 * @since 0.2.0
 */
public interface OnDemandKeyManager {

    /**
     * Makes handshakes for names nothing is served for ask the source for a certificate, and wait for
     * it at most this long.
     *
     * @param source decides and obtains, once per name
     * @param wait   how long a handshake waits at most, positive
     */
    void onDemand(OnDemandCertificates source, Duration wait);

    /**
     * Answers for a stored certificate's names without keeping it loaded: it is loaded at the next
     * handshake that asks, and let go again when it has been idle while others were used (how an
     * on-demand certificate stays out of memory while no client asks for it).
     *
     * @param metadata the certificate's names and validity
     * @param loader   loads it with its key from the store
     */
    void putLazily(CertificateMetadata metadata, Supplier<IssuedCertificate> loader);
}
