package dev.autocert4j;

import java.util.concurrent.CompletableFuture;

/**
 * Where an {@link OnDemandKeyManager} asks for a certificate for a name a handshake wants that
 * nothing is served for yet (on-demand issuance): {@link AutoCert} gives it one when built with
 * {@link AutoCert.Builder#onDemand}. It decides once per name, off the handshake thread, and installs
 * the certificate it obtains on the key manager.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface OnDemandCertificates {

    /**
     * Starts obtaining a certificate for a name, or joins the attempt under way; never blocks.
     *
     * @param name the SNI name, normalized
     * @return completes with {@code true} once the certificate is put on the key manager, with
     *         {@code false} if the name is refused or its certificate could not be obtained
     */
    CompletableFuture<Boolean> request(String name);
}
