package dev.autocert4j;

import java.net.URI;
import java.security.KeyPair;
import java.util.Objects;

/**
 * An ACME account at one certificate authority: its key pair and, once registered, its URL.
 * There is one per CA directory, reused on every run.
 *
 * @param caDirectory the ACME directory URL the account belongs to
 * @param keyPair     the account key pair
 * @param location    the account URL the CA assigned, or {@code null} if registration has not completed yet
 */
public record AcmeAccount(URI caDirectory, KeyPair keyPair, URI location) {

    /**
     * Checks the required components.
     *
     * @param caDirectory the ACME directory URL the account belongs to
     * @param keyPair the account key pair
     * @param location the account URL the CA assigned, or {@code null} if registration has not completed yet
     */
    public AcmeAccount {
        Objects.requireNonNull(caDirectory, "caDirectory");
        Objects.requireNonNull(keyPair, "keyPair");
    }

    /** Describes the account without its key. */
    @Override
    public String toString() {
        return "AcmeAccount[caDirectory=" + caDirectory + ", location=" + location + "]";
    }
}
