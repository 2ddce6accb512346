package dev.autocert4j;

import java.net.URI;
import java.security.KeyPair;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An ACME account at one certificate authority as a {@link CertificateStore} keeps it: its key pair
 * and, once registered, its URL, contact emails and the link of the Terms of Service the admin
 * accepted. There is one per CA directory, reused on every run. Immutable.
 */
public final class AcmeAccount {

    private final URI caDirectory;
    private final KeyPair keyPair;
    private final URI location;
    private final List<String> contacts;
    private final URI acceptedTermsOfService;

    /**
     * Creates an account.
     *
     * @param caDirectory the ACME directory URL the account belongs to
     * @param keyPair     the account key pair
     * @param location    the account URL the CA assigned, or {@code null} if registration has not completed yet
     */
    public AcmeAccount(URI caDirectory, KeyPair keyPair, URI location) {
        this(caDirectory, keyPair, location, List.of(), null);
    }

    /**
     * Creates an account with what it was registered with.
     *
     * @param caDirectory            the ACME directory URL the account belongs to
     * @param keyPair                the account key pair
     * @param location               the account URL the CA assigned, or {@code null} if registration has not completed yet
     * @param contacts               the contact emails the CA holds, possibly none (also when they are not known)
     * @param acceptedTermsOfService the link of the Terms of Service the admin accepted, or {@code null} if not recorded
     * @since 0.2.0
     */
    public AcmeAccount(URI caDirectory, KeyPair keyPair, URI location, List<String> contacts,
                       URI acceptedTermsOfService) {
        this.caDirectory = Objects.requireNonNull(caDirectory, "caDirectory");
        this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
        this.location = location;
        this.contacts = List.copyOf(Objects.requireNonNull(contacts, "contacts"));
        this.acceptedTermsOfService = acceptedTermsOfService;
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

    /**
     * @return the contact emails the CA holds for the account; empty when there are none or they
     *         were not recorded (accounts stored before 0.2.0)
     * @since 0.2.0
     */
    public List<String> contacts() {
        return contacts;
    }

    /**
     * @return the link of the Terms of Service the admin accepted, if recorded (accounts stored
     *         before 0.2.0 have none)
     * @since 0.2.0
     */
    public Optional<URI> acceptedTermsOfService() {
        return Optional.ofNullable(acceptedTermsOfService);
    }

    /**
     * Returns this account with another key pair, the rest kept, as after a key rollover.
     *
     * @param keyPair the new key pair
     * @return the account with it
     * @since 0.2.0
     */
    public AcmeAccount withKeyPair(KeyPair keyPair) {
        return new AcmeAccount(caDirectory, keyPair, location, contacts, acceptedTermsOfService);
    }

    /**
     * Returns this account with other contacts and accepted Terms of Service, the rest kept.
     *
     * @param contacts               the contact emails, possibly none
     * @param acceptedTermsOfService the link of the accepted Terms of Service, or {@code null}
     * @return the account with them
     * @since 0.2.0
     */
    public AcmeAccount withRegistration(List<String> contacts, URI acceptedTermsOfService) {
        return new AcmeAccount(caDirectory, keyPair, location, contacts, acceptedTermsOfService);
    }

    /** Two accounts are equal when directory, location, contacts, accepted terms and key pair (by encoding) are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof AcmeAccount that && caDirectory.equals(that.caDirectory)
                && Objects.equals(location, that.location) && contacts.equals(that.contacts)
                && Objects.equals(acceptedTermsOfService, that.acceptedTermsOfService)
                && java.util.Arrays.equals(keyPair.getPublic().getEncoded(), that.keyPair.getPublic().getEncoded());
    }

    @Override
    public int hashCode() {
        return Objects.hash(caDirectory, location);
    }

    /** Describes the account without its key. */
    @Override
    public String toString() {
        return "AcmeAccount[caDirectory=" + caDirectory + ", location=" + location
                + (contacts.isEmpty() ? "" : ", contacts=" + contacts)
                + (acceptedTermsOfService == null ? "" : ", acceptedTermsOfService=" + acceptedTermsOfService) + "]";
    }
}
