package dev.autocert4j;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What is registered at the certificate authority, for the admin's page: the account URL, the
 * contact emails and the link of the Terms of Service the admin accepted. No key. Immutable.
 *
 * @see AutoCert#account()
 * @since 0.2.0
 */
public final class RegisteredAccount {

    private final URI caDirectory;
    private final URI location;
    private final List<String> contacts;
    private final URI acceptedTermsOfService;

    private RegisteredAccount(AcmeAccount account) {
        this.caDirectory = account.caDirectory();
        this.location = account.location();
        this.contacts = account.contacts();
        this.acceptedTermsOfService = account.acceptedTermsOfService().orElse(null);
    }

    /**
     * Describes a stored account that completed registration.
     *
     * @param account the stored account
     * @return what is registered, without the key
     * @throws IllegalArgumentException if the account has no URL yet (registration did not complete)
     */
    public static RegisteredAccount of(AcmeAccount account) {
        Objects.requireNonNull(account, "account");
        if (account.location() == null) {
            throw new IllegalArgumentException("the account at " + account.caDirectory() + " is not registered yet");
        }
        return new RegisteredAccount(account);
    }

    /** @return the ACME directory URL of the CA the account is at */
    public URI caDirectory() {
        return caDirectory;
    }

    /** @return the account URL the CA assigned */
    public URI location() {
        return location;
    }

    /** @return the contact emails; empty when there are none or they were not recorded (accounts from before 0.2.0) */
    public List<String> contacts() {
        return contacts;
    }

    /** @return the link of the Terms of Service the admin accepted, if recorded (accounts from before 0.2.0 have none) */
    public Optional<URI> acceptedTermsOfService() {
        return Optional.ofNullable(acceptedTermsOfService);
    }

    /** Two descriptions are equal when every field is. */
    @Override
    public boolean equals(Object other) {
        return other instanceof RegisteredAccount that && caDirectory.equals(that.caDirectory)
                && location.equals(that.location) && contacts.equals(that.contacts)
                && Objects.equals(acceptedTermsOfService, that.acceptedTermsOfService);
    }

    @Override
    public int hashCode() {
        return Objects.hash(caDirectory, location, contacts, acceptedTermsOfService);
    }

    @Override
    public String toString() {
        return "RegisteredAccount[location=" + location + ", contacts=" + contacts + ", acceptedTermsOfService="
                + acceptedTermsOfService + "]";
    }
}
