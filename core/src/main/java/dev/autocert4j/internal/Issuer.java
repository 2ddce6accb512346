package dev.autocert4j.internal;

import dev.autocert4j.AccountRegistration;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.RegisteredAccount;
import dev.autocert4j.RenewalWindow;
import dev.autocert4j.RevocationReason;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Obtains certificates and cares for the account at one CA; {@code AcmeIssuer} does it over ACME. */
public interface Issuer {

    /**
     * Who the account is for, what the admin accepted, and the optional external account binding.
     *
     * @param emails                 the contact emails, possibly none
     * @param acceptedTermsOfService the link of the Terms of Service the admin accepted, or {@code null}
     *                               where the CA publishes none
     * @param consentWithoutLink     consent was given without a link (the deprecated per-request
     *                               consent): the CA's current terms are recorded as accepted
     * @param eabKeyId               the EAB key id, or {@code null}
     * @param eabHmacKey             the EAB HMAC key (a secret), or {@code null}
     * @param keyType                the key type of a new account key
     */
    record Registration(List<String> emails, URI acceptedTermsOfService, boolean consentWithoutLink, String eabKeyId,
                        String eabHmacKey, KeyType keyType) {
        /**
         * Makes the emails immutable.
         *
         * @param emails                 the contact emails
         * @param acceptedTermsOfService the accepted terms, or {@code null}
         * @param consentWithoutLink     consent was given without a link
         * @param eabKeyId               the EAB key id, or {@code null}
         * @param eabHmacKey             the EAB HMAC key (a secret), or {@code null}
         * @param keyType                the key type of a new account key
         */
        public Registration {
            emails = List.copyOf(emails);
            Objects.requireNonNull(keyType, "keyType");
        }

        /**
         * A registration from an enrollment request's email and consent (the deprecated way).
         *
         * @param email      the registration email
         * @param eabKeyId   the EAB key id, or {@code null}
         * @param eabHmacKey the EAB HMAC key (a secret), or {@code null}
         */
        public Registration(String email, String eabKeyId, String eabHmacKey) {
            this(List.of(Objects.requireNonNull(email, "email")), null, true, eabKeyId, eabHmacKey, KeyType.EC_P256);
        }

        /**
         * @param account what the admin set up
         * @return the registration of it
         */
        public static Registration of(AccountRegistration account) {
            return new Registration(account.emails(), account.acceptedTermsOfService().orElse(null),
                    account.acceptsTermsOfServiceAsLinked(),
                    account.externalAccountKeyId().orElse(null), account.externalAccountHmacKey().orElse(null),
                    account.keyType());
        }

        @Override
        public String toString() {
            return "Registration[emails=" + emails + ", acceptedTermsOfService=" + acceptedTermsOfService
                    + ", eabKeyId=" + eabKeyId + "]";
        }
    }

    /**
     * One certificate to obtain.
     *
     * @param domain            the enrollment's first name, under which the certificate is stored
     * @param names             every name to put on the certificate, {@code domain} first; already checked
     * @param challenge         how the CA validates the names
     * @param registration      the account to register if none is stored yet, or {@code null} if there is
     *                          none to register (the stored account is used)
     * @param keyType           the key type of the new certificate
     * @param profile           the ACME profile to ask for, or {@code null}
     * @param replacing         the certificate the new one replaces (named in the order where the CA
     *                          supports ACME Renewal Information), or {@code null}
     * @param beforeIssuing     run right before the CA is asked to issue (finalize); throws to stop,
     *                          as when the renewal lock was lost
     * @param replacingIssuedBy the directory of the CA that issued {@code replacing}, or {@code null} if unknown:
     *                          only that CA is told which certificate the new one replaces
     * @param skipped           told, for each CA passed over before the one that issued, why
     * @param warned            told what the admin should know about the issued certificate (no chain the
     *                          CA offers verifies against the trust store clients use)
     */
    record Order(String domain, List<String> names, ChallengeType challenge, Registration registration,
                 KeyType keyType, String profile, X509Certificate replacing, Runnable beforeIssuing,
                 URI replacingIssuedBy, Consumer<String> skipped, Consumer<String> warned) {
        /**
         * Checks the required parts and makes the names immutable.
         *
         * @param domain            the enrollment's first name
         * @param names             every name to put on the certificate, {@code domain} first
         * @param challenge         how the CA validates the names
         * @param registration      the account's email and optional EAB credentials
         * @param keyType           the key type of the new certificate
         * @param profile           the ACME profile to ask for, or {@code null}
         * @param replacing         the certificate the new one replaces, or {@code null}
         * @param beforeIssuing     run right before the CA is asked to issue, or {@code null} for nothing
         * @param replacingIssuedBy the CA that issued {@code replacing}, or {@code null}
         * @param skipped           told why a CA was passed over, or {@code null} for no one
         * @param warned            told of a warning about the certificate, or {@code null} for no one
         */
        public Order {
            Objects.requireNonNull(domain, "domain");
            beforeIssuing = beforeIssuing == null ? () -> { } : beforeIssuing;
            skipped = skipped == null ? note -> { } : skipped;
            warned = warned == null ? note -> { } : warned;
            names = List.copyOf(names);
            Objects.requireNonNull(challenge, "challenge");
            Objects.requireNonNull(keyType, "keyType");
        }

        /**
         * An order that names no issuing CA of the certificate it replaces.
         *
         * @param domain        the enrollment's first name
         * @param names         every name to put on the certificate, {@code domain} first
         * @param challenge     how the CA validates the names
         * @param registration  the account's email and optional EAB credentials
         * @param keyType       the key type of the new certificate
         * @param profile       the ACME profile to ask for, or {@code null}
         * @param replacing     the certificate the new one replaces, or {@code null}
         * @param beforeIssuing run right before the CA is asked to issue, or {@code null} for nothing
         */
        public Order(String domain, List<String> names, ChallengeType challenge, Registration registration,
                     KeyType keyType, String profile, X509Certificate replacing, Runnable beforeIssuing) {
            this(domain, names, challenge, registration, keyType, profile, replacing, beforeIssuing, null, null, null);
        }

        /**
         * An order with nothing to run before issuing.
         *
         * @param domain       the enrollment's first name
         * @param names        every name to put on the certificate, {@code domain} first
         * @param challenge    how the CA validates the names
         * @param registration the account's email and optional EAB credentials
         * @param keyType      the key type of the new certificate
         * @param profile      the ACME profile to ask for, or {@code null}
         * @param replacing    the certificate the new one replaces, or {@code null}
         */
        public Order(String domain, List<String> names, ChallengeType challenge, Registration registration,
                     KeyType keyType, String profile, X509Certificate replacing) {
            this(domain, names, challenge, registration, keyType, profile, replacing, null);
        }

        /**
         * @param newReplacing the certificate to name as replaced at one CA, or {@code null} for none
         * @return this order naming another replaced certificate
         */
        public Order replacing(X509Certificate newReplacing) {
            return new Order(domain, names, challenge, registration, keyType, profile, newReplacing, beforeIssuing,
                    newReplacing == null ? null : replacingIssuedBy, skipped, warned);
        }
    }

    /**
     * The CA's advice on when to renew a certificate (ACME Renewal Information).
     *
     * @param window    the suggested window
     * @param recheckAt when to ask again: the CA's {@code Retry-After}, or {@code null} if it sent none
     */
    record RenewalAdvice(RenewalWindow window, Instant recheckAt) {
        /**
         * Checks the window is present.
         *
         * @param window    the suggested window
         * @param recheckAt when to ask again, or {@code null}
         */
        public RenewalAdvice {
            Objects.requireNonNull(window, "window");
        }
    }

    /**
     * Obtains a certificate, answering the challenges through the solver.
     *
     * @param order  what to obtain
     * @param solver answers the challenges
     * @return the certificate, its new private key and metadata
     * @throws dev.autocert4j.AutoCertException (or a subclass) on any failure
     */
    IssuedCertificate obtain(Order order, ChallengeSolver solver);

    /**
     * Takes the certificate of an order an earlier attempt recorded as pending and the CA may have
     * issued before that attempt ended (a crash between the CA issuing and the store saving), so
     * that no second order is placed for it. A record that is of no use is dropped.
     *
     * @param order what is about to be obtained
     * @return the certificate of the recorded order, verified as a fresh one; empty if a new order is needed
     * @throws dev.autocert4j.AutoCertException if the CA holding the recorded order cannot be asked now
     */
    default Optional<IssuedCertificate> resume(Order order) {
        return Optional.empty();
    }

    /**
     * Asks the CA when a certificate should be renewed (ACME Renewal Information, RFC 9773).
     *
     * @param certificate loads the current certificate; called only if the CA offers renewal information
     * @return the CA's advice, or empty where the CA does not offer renewal information or no account exists yet
     * @throws dev.autocert4j.AutoCertException if the CA offers it but cannot be asked now
     */
    Optional<RenewalAdvice> renewalAdvice(Supplier<X509Certificate> certificate);

    /**
     * Asks the CA that issued a certificate when it should be renewed; only that CA knows it.
     *
     * @param issuedBy    the directory of the CA that issued it, or {@code null} if unknown
     * @param certificate loads the current certificate
     * @return the CA's advice, or empty where it offers none
     * @throws dev.autocert4j.AutoCertException if the CA offers it but cannot be asked now
     */
    default Optional<RenewalAdvice> renewalAdvice(URI issuedBy, Supplier<X509Certificate> certificate) {
        return renewalAdvice(certificate);
    }

    /**
     * Says what is registered at the CA, from the store, read once and then kept; no network call.
     *
     * @return the registered account, or empty if none is registered yet
     * @throws dev.autocert4j.CertificateStoreException if the store cannot be read
     */
    Optional<RegisteredAccount> registeredAccount();

    /**
     * Registers the account at the CA, or, where one is stored, makes its contact these emails; then
     * stores the contacts and the accepted Terms of Service with it.
     *
     * @param registration what the admin set up
     * @return what is registered now
     * @throws dev.autocert4j.TermsOfServiceChangedException if the CA links other Terms of Service than
     *                                                       those the admin accepted
     * @throws dev.autocert4j.AutoCertException              if the CA or the store fails
     */
    RegisteredAccount register(Registration registration);

    /**
     * Makes the account's contact at the CA this email, if an account exists and has another one.
     *
     * @param email the registration email, already checked
     * @throws dev.autocert4j.AutoCertException if the CA cannot be asked or refuses
     */
    void updateAccountEmail(String email);

    /**
     * Replaces the account's key pair at the CA with a new one and stores it; the account URL stays.
     *
     * @return the account URL
     * @throws dev.autocert4j.AutoCertException if there is no account yet, or the CA or the store fails
     */
    URI rolloverAccountKey();

    /**
     * Revokes a certificate at the CA.
     *
     * @param certificate the certificate with its private key
     * @param reason      why
     * @throws dev.autocert4j.AutoCertException if the CA refuses or cannot be reached
     */
    void revoke(IssuedCertificate certificate, RevocationReason reason);
}
