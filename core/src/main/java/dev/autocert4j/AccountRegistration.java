package dev.autocert4j;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The ACME account the host holds at its certificate authority, as the admin set it up once: the
 * contact emails, the Terms of Service the admin accepted (recorded by their URL, so a later change
 * is noticed), optional external account binding (EAB) credentials and the account key type. Give it
 * to {@link AutoCert.Builder#account} when the host knows it, or to {@link AutoCert#register} when
 * the admin registers at run time; every enrollment then uses it.
 *
 * <p>{@link Builder#build()} checks every field before any network call. The EAB HMAC key is a
 * secret: it is in neither {@link #toString()} nor the store. Immutable.
 *
 * <pre>{@code
 * AccountRegistration account = AccountRegistration.builder()
 *         .email("admin@example.com")
 *         .termsOfServiceAccepted(autoCert.termsOfService().orElseThrow()) // the link the admin was shown
 *         .build();
 * }</pre>
 *
 * @since 0.2.0
 */
public final class AccountRegistration {

    private final List<String> emails;
    private final URI acceptedTermsOfService;
    private final String eabKeyId;
    private final String eabHmacKey;
    private final KeyType keyType;
    private final boolean acceptsLinkedTerms;

    private AccountRegistration(Builder builder, List<String> emails) {
        this.emails = emails;
        this.acceptedTermsOfService = builder.acceptedTermsOfService;
        this.eabKeyId = builder.eabKeyId;
        this.eabHmacKey = builder.eabHmacKey;
        this.keyType = builder.keyType;
        this.acceptsLinkedTerms = builder.acceptsLinkedTerms;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the contact emails the CA may write to about the account, in the order given; possibly none */
    public List<String> emails() {
        return emails;
    }

    /**
     * @return the link of the Terms of Service the admin accepted, as the CA's directory showed it;
     *         empty where the CA publishes none ({@link Builder#noTermsOfService()})
     */
    public Optional<URI> acceptedTermsOfService() {
        return Optional.ofNullable(acceptedTermsOfService);
    }

    /**
     * @return whether the admin accepted whatever Terms of Service the CA links when the account is
     *         registered ({@link Builder#termsOfServiceAcceptedAsLinked()})
     * @since 0.2.0
     */
    public boolean acceptsTermsOfServiceAsLinked() {
        return acceptsLinkedTerms;
    }

    /** @return the EAB key id, if the CA needs external account binding */
    public Optional<String> externalAccountKeyId() {
        return Optional.ofNullable(eabKeyId);
    }

    /**
     * Returns the EAB HMAC key. It is a secret: never log it.
     *
     * @return the base64url-encoded HMAC key, if given
     */
    public Optional<String> externalAccountHmacKey() {
        return Optional.ofNullable(eabHmacKey);
    }

    /** @return the key type of a new account's key pair; {@link KeyType#EC_P256} unless chosen otherwise */
    public KeyType keyType() {
        return keyType;
    }

    /** Two registrations are equal when every field is, the EAB HMAC key included. */
    @Override
    public boolean equals(Object other) {
        return other instanceof AccountRegistration that && emails.equals(that.emails)
                && Objects.equals(acceptedTermsOfService, that.acceptedTermsOfService)
                && Objects.equals(eabKeyId, that.eabKeyId)
                && Objects.equals(eabHmacKey, that.eabHmacKey) && keyType == that.keyType
                && acceptsLinkedTerms == that.acceptsLinkedTerms;
    }

    @Override
    public int hashCode() {
        return Objects.hash(emails, acceptedTermsOfService, eabKeyId, keyType);
    }

    /** Describes the registration without the EAB HMAC key. */
    @Override
    public String toString() {
        return "AccountRegistration[emails=" + emails + ", acceptedTermsOfService="
                + (acceptsLinkedTerms ? "as linked at registration" : acceptedTermsOfService)
                + ", keyType=" + keyType + (eabKeyId == null ? "" : ", externalAccountKeyId=" + eabKeyId) + "]";
    }

    /** Builds an {@link AccountRegistration}; {@link #build()} checks every field. */
    public static final class Builder {
        private final List<String> emails = new ArrayList<>();
        private URI acceptedTermsOfService;
        private boolean noTermsOfService;
        private boolean acceptsLinkedTerms;
        private String eabKeyId;
        private String eabHmacKey;
        private KeyType keyType = KeyType.EC_P256;

        private Builder() {
        }

        /**
         * Adds a contact email; may be called more than once. {@link #build()} checks each.
         *
         * @param email an address like {@code admin@example.com}
         * @return this builder
         */
        public Builder email(String email) {
            emails.add(Objects.requireNonNull(email, "email"));
            return this;
        }

        /**
         * Replaces the contact emails with these, possibly none (the CA then has no one to write to).
         *
         * @param emails the addresses
         * @return this builder
         */
        public Builder emails(List<String> emails) {
            Objects.requireNonNull(emails, "emails");
            emails.forEach(email -> Objects.requireNonNull(email, "an email"));
            this.emails.clear();
            this.emails.addAll(emails);
            return this;
        }

        /**
         * Records that the admin accepted the CA's Terms of Service at this link: the one
         * {@link AutoCert#termsOfService()} showed them. Registration fails with
         * {@link TermsOfServiceChangedException} if the CA's directory links other terms by then.
         *
         * @param termsOfService the link the admin was shown and accepted
         * @return this builder
         */
        public Builder termsOfServiceAccepted(URI termsOfService) {
            this.acceptedTermsOfService = Objects.requireNonNull(termsOfService, "termsOfService");
            this.noTermsOfService = false;
            this.acceptsLinkedTerms = false;
            return this;
        }

        /**
         * Records that the CA publishes no Terms of Service ({@link AutoCert#termsOfService()} is
         * empty), as some private CAs do. Registration fails with {@link TermsOfServiceChangedException}
         * if the CA links some by then.
         *
         * @return this builder
         */
        public Builder noTermsOfService() {
            this.acceptedTermsOfService = null;
            this.noTermsOfService = true;
            this.acceptsLinkedTerms = false;
            return this;
        }

        /**
         * Records that the admin accepts whatever Terms of Service the CA links when the account is
         * registered, as a command line's {@code --accept-tos} does for every CA it names (a fallback
         * CA is registered at first use, when no one is there to be shown its terms). The link the
         * CA showed then is stored with the account as the accepted one.
         *
         * @return this builder
         * @since 0.2.0
         */
        public Builder termsOfServiceAcceptedAsLinked() {
            this.acceptedTermsOfService = null;
            this.noTermsOfService = false;
            this.acceptsLinkedTerms = true;
            return this;
        }

        /**
         * Sets external account binding credentials for CAs that require them.
         *
         * @param keyId   the key id the CA gave
         * @param hmacKey the base64url-encoded HMAC key the CA gave (a secret)
         * @return this builder
         * @throws InvalidInputException if the key id is blank or the HMAC key is not base64url (the
         *                               message never shows the HMAC key)
         */
        public Builder externalAccountBinding(String keyId, String hmacKey) {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(hmacKey, "hmacKey");
            this.eabKeyId = InputChecks.requireEabKeyId(keyId);
            this.eabHmacKey = InputChecks.requireEabHmacKey(hmacKey);
            return this;
        }

        /**
         * Chooses the key type of the account key pair, when a new account is registered; default
         * {@link KeyType#EC_P256}. An account registered before keeps its key.
         *
         * @param keyType the key type
         * @return this builder
         */
        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType, "keyType");
            return this;
        }

        /**
         * Checks every field and builds the registration.
         *
         * @return the registration
         * @throws InvalidInputException naming the first field that is missing or wrong: the Terms of
         *                               Service neither accepted nor said to be absent, or an email that is not one
         */
        public AccountRegistration build() {
            if (acceptedTermsOfService == null && !noTermsOfService && !acceptsLinkedTerms) {
                throw new InvalidInputException("termsOfServiceAccepted", null,
                        "is missing: the admin has to accept the CA's Terms of Service first; give the link they accepted");
            }
            if (acceptedTermsOfService != null && !acceptedTermsOfService.isAbsolute()) {
                throw new InvalidInputException("termsOfServiceAccepted", acceptedTermsOfService.toString(),
                        "is not an absolute link: give the link of the Terms of Service the CA's directory shows");
            }
            LinkedHashSet<String> checked = new LinkedHashSet<>();
            for (String email : emails) {
                checked.add(InputChecks.requireEmail(email));
            }
            return new AccountRegistration(this, List.copyOf(checked));
        }
    }
}
