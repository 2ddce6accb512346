package dev.autocert4j;

import java.net.URI;
import java.security.KeyPair;
import java.util.Objects;
import java.util.Optional;

/**
 * An ACME account at one certificate authority: its key pair and, once registered, its URL.
 * There is one per CA directory, reused on every run. Immutable.
 */
public final class AcmeAccount {

    private final URI caDirectory;
    private final KeyPair keyPair;
    private final URI location;

    /**
     * Creates an account.
     *
     * @param caDirectory the ACME directory URL the account belongs to
     * @param keyPair     the account key pair
     * @param location    the account URL the CA assigned, or {@code null} if registration has not completed yet
     */
    public AcmeAccount(URI caDirectory, KeyPair keyPair, URI location) {
        this.caDirectory = Objects.requireNonNull(caDirectory, "caDirectory");
        this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
        this.location = location;
    }

    /** @return the ACME directory URL the account belongs to */
    public URI caDirectory() {
        return caDirectory;
    }

    /** @return the account key pair; the private key is a secret */
    public KeyPair keyPair() {
        return keyPair;
    }

    /**
     * @return the account URL the CA assigned, or {@code null} if registration has not completed yet
     * @see #registeredLocation()
     */
    public URI location() {
        return location;
    }

    /** @return the account URL the CA assigned, if registration completed */
    public Optional<URI> registeredLocation() {
        return Optional.ofNullable(location);
    }

    /** Two accounts are equal when directory, location and key pair (by encoding) are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof AcmeAccount that && caDirectory.equals(that.caDirectory)
                && Objects.equals(location, that.location)
                && java.util.Arrays.equals(keyPair.getPublic().getEncoded(), that.keyPair.getPublic().getEncoded());
    }

    @Override
    public int hashCode() {
        return Objects.hash(caDirectory, location);
    }

    /** Describes the account without its key. */
    @Override
    public String toString() {
        return "AcmeAccount[caDirectory=" + caDirectory + ", location=" + location + "]";
    }
}
