package dev.autocert4j;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the admin chose for one certificate on the "configure Let's Encrypt" form: the binding to
 * secure, the HTTPS port when that binding is plain HTTP, and optionally further names for the same
 * certificate, the challenge type, key type and ACME profile. autocert4j stores these choices beside
 * the certificate, so {@link AutoCert#start()} resumes the enrollment after a restart.
 *
 * <p>The ACME account (contacts, accepted Terms of Service, EAB) belongs to the CA, not to one
 * certificate: set it once with {@link AutoCert.Builder#account} or {@link AutoCert#register}. The
 * request's own email, consent and EAB still work, deprecated: they register the account if there
 * is none yet, and are ignored (with a warning) where the account has other contacts.
 *
 * <p>{@link Builder#build()} checks every field, so a request that exists is well-formed; whether
 * its binding is one the server listens on is checked by {@link AutoCert#enroll}. Immutable.
 */
public final class EnrollmentRequest {

    /** Let's Encrypt puts at most 100 names on one certificate; the binding's name is one of them. */
    private static final int MAX_EXTRA_NAMES = 99;

    private final Binding binding;
    private final Binding httpsBinding;
    private final String domain;
    private final List<String> extraNames;
    private final String email;
    private final String eabKeyId;
    private final String eabHmacKey;
    private final ChallengeType challengeType;
    private final KeyType keyType;
    private final String profile;

    private EnrollmentRequest(Builder builder, String domain, List<String> extraNames, String email,
                              Binding httpsBinding) {
        this.binding = builder.binding;
        this.httpsBinding = httpsBinding;
        this.domain = domain;
        this.extraNames = extraNames;
        this.email = email;
        this.eabKeyId = builder.eabKeyId;
        this.eabHmacKey = builder.eabHmacKey;
        this.challengeType = builder.challengeType;
        this.keyType = builder.keyType;
        this.profile = builder.profile;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the binding the admin chose */
    public Binding binding() {
        return binding;
    }

    /** @return the HTTPS binding that will serve the certificate: the chosen one, or its host on the given HTTPS port */
    public Binding httpsBinding() {
        return httpsBinding;
    }

    /**
     * Returns the binding's DNS name in lower case, or its IP address in canonical form: the first
     * name on the certificate and the name the enrollment is known by ({@link AutoCert#status(String)},
     * the store).
     *
     * @return the enrollment's domain
     */
    public String domain() {
        return domain;
    }

    /**
     * @return the further names the certificate covers, in lower case, without the domain or repeats;
     *         empty unless {@link Builder#extraNames} gave some
     * @since 0.2.0
     */
    public List<String> extraNames() {
        return extraNames;
    }

    /**
     * @return every name on the certificate: the {@link #domain()} first, then the {@link #extraNames()}
     * @since 0.2.0
     */
    public List<String> names() {
        List<String> names = new ArrayList<>(1 + extraNames.size());
        names.add(domain);
        names.addAll(extraNames);
        return List.copyOf(names);
    }

    /**
     * @return the registration email given with the request, or {@code null} if none
     * @deprecated the account's contact belongs to the CA: read it with {@link AutoCert#account()}
     */
    @Deprecated(since = "0.2.0")
    public String email() {
        return email;
    }

    /**
     * @return the EAB key id, if given with the request
     * @deprecated EAB belongs to the account: {@link AccountRegistration#externalAccountKeyId()}
     */
    @Deprecated(since = "0.2.0")
    public Optional<String> externalAccountKeyId() {
        return Optional.ofNullable(eabKeyId);
    }

    /**
     * Returns the EAB HMAC key. It is a secret: never log it.
     *
     * @return the base64url-encoded HMAC key, if given
     * @deprecated EAB belongs to the account: {@link AccountRegistration#externalAccountHmacKey()}
     */
    @Deprecated(since = "0.2.0")
    public Optional<String> externalAccountHmacKey() {
        return Optional.ofNullable(eabHmacKey);
    }

    /** @return how the CA validates the names; {@link ChallengeType#HTTP_01} unless chosen otherwise */
    public ChallengeType challengeType() {
        return challengeType;
    }

    /** @return the key type of this enrollment's certificates, if chosen; otherwise the {@link AutoCert} default applies */
    public Optional<KeyType> keyType() {
        return Optional.ofNullable(keyType);
    }

    /** @return the ACME profile to ask for, if chosen; otherwise the {@link AutoCert} default applies */
    public Optional<String> profile() {
        return Optional.ofNullable(profile);
    }

    /**
     * Returns a builder holding this request's choices, with the Terms of Service accepted (they
     * were, for this request to exist), to change some of them.
     *
     * @return a builder with this request's choices
     */
    public Builder toBuilder() {
        Builder builder = builder().binding(binding).challenge(challengeType).extraNames(extraNames);
        builder.email = email;
        builder.termsOfServiceAccepted = true;
        if (!binding.isHttps()) {
            builder.httpsPort(httpsBinding.port());
        }
        if (eabKeyId != null) {
            builder.eabKeyId = eabKeyId;
            builder.eabHmacKey = eabHmacKey;
        }
        builder.keyType = keyType;
        builder.profile = profile;
        return builder;
    }

    /** Two requests are equal when every choice is, the EAB HMAC key included. */
    @Override
    public boolean equals(Object other) {
        return other instanceof EnrollmentRequest that && binding.equals(that.binding)
                && httpsBinding.equals(that.httpsBinding) && extraNames.equals(that.extraNames)
                && Objects.equals(email, that.email)
                && Objects.equals(eabKeyId, that.eabKeyId) && Objects.equals(eabHmacKey, that.eabHmacKey)
                && challengeType == that.challengeType && keyType == that.keyType && Objects.equals(profile, that.profile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(binding, httpsBinding, email, challengeType);
    }

    /** Describes the request without the EAB HMAC key. */
    @Override
    public String toString() {
        return "EnrollmentRequest[binding=" + binding + ", httpsBinding=" + httpsBinding
                + (extraNames.isEmpty() ? "" : ", extraNames=" + extraNames) + (email == null ? "" : ", email=" + email)
                + ", challenge=" + challengeType + (keyType == null ? "" : ", keyType=" + keyType)
                + (profile == null ? "" : ", profile=" + profile)
                + (eabKeyId == null ? "" : ", externalAccountKeyId=" + eabKeyId) + "]";
    }

    /** Builds an {@link EnrollmentRequest}; {@link #build()} checks every field. */
    public static final class Builder {
        private Binding binding;
        private List<String> extraNames = List.of();
        private Integer httpsPort;
        private String email;
        private boolean termsOfServiceAccepted;
        private String eabKeyId;
        private String eabHmacKey;
        private ChallengeType challengeType = ChallengeType.HTTP_01;
        private KeyType keyType;
        private String profile;

        private Builder() {
        }

        /**
         * Chooses how the CA validates the names; default {@link ChallengeType#HTTP_01}.
         *
         * @param challengeType the challenge type
         * @return this builder
         */
        public Builder challenge(ChallengeType challengeType) {
            this.challengeType = Objects.requireNonNull(challengeType, "challengeType");
            return this;
        }

        /**
         * Chooses the key type of this enrollment's certificates, instead of the default set with
         * {@link AutoCert.Builder#keyType(KeyType)}.
         *
         * @param keyType the key type
         * @return this builder
         */
        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType, "keyType");
            return this;
        }

        /**
         * Asks for an ACME profile for this enrollment, instead of the default set with
         * {@link AutoCert.Builder#profile(String)}; see there.
         *
         * @param profile the profile name, such as {@code "shortlived"}
         * @return this builder
         * @throws InvalidInputException if it is not a profile name
         */
        public Builder profile(String profile) {
            this.profile = InputChecks.requireProfile(profile);
            return this;
        }

        /**
         * Sets the binding to secure, one of {@link BindingProvider#bindings()}.
         *
         * @param binding the binding
         * @return this builder
         */
        public Builder binding(Binding binding) {
            this.binding = Objects.requireNonNull(binding, "binding");
            return this;
        }

        /**
         * Puts further names on the same certificate, beside the binding's name: DNS names, IP
         * addresses (HTTP-01 and TLS-ALPN-01) or wildcards such as {@code *.example.com} (DNS-01).
         * The CA validates each with the same challenge type, so each must reach this server (for
         * HTTP-01, on port 80 at the same responder). Replaces names given before; repeats and the
         * binding's own name are dropped. {@link #build()} checks each for the challenge type.
         *
         * @param names the further names, possibly none
         * @return this builder
         * @since 0.2.0
         */
        public Builder extraNames(List<String> names) {
            Objects.requireNonNull(names, "names");
            names.forEach(name -> Objects.requireNonNull(name, "an extra name"));
            this.extraNames = List.copyOf(names);
            return this;
        }

        /**
         * Puts further DNS names on the same certificate; see {@link #extraNames(List)}.
         *
         * @param names the further names
         * @return this builder
         * @since 0.2.0
         */
        public Builder extraNames(String... names) {
            return extraNames(List.of(names));
        }

        /**
         * Sets the HTTPS port to open, required when the binding is plain HTTP.
         *
         * @param httpsPort the port, 1 to 65535
         * @return this builder
         */
        public Builder httpsPort(int httpsPort) {
            this.httpsPort = httpsPort;
            return this;
        }

        /**
         * Sets the email the CA may write to about the account. Used only to register the account
         * if there is none yet; an account's contacts win over it.
         *
         * @param email the address
         * @return this builder
         * @deprecated the account belongs to the CA: {@link AccountRegistration.Builder#email}, given to
         *             {@link AutoCert.Builder#account} or {@link AutoCert#register}
         */
        @Deprecated(since = "0.2.0")
        public Builder email(String email) {
            this.email = Objects.requireNonNull(email, "email");
            return this;
        }

        /**
         * Records whether the admin accepted the CA's Terms of Service. With an {@link #email} or
         * {@link #externalAccountBinding} but without acceptance, {@link #build()} fails.
         *
         * @param accepted {@code true} if the admin accepted them
         * @return this builder
         * @deprecated consent belongs to the account and is recorded as the link accepted: use
         *             {@link AccountRegistration.Builder#termsOfServiceAccepted(java.net.URI)}
         */
        @Deprecated(since = "0.2.0")
        public Builder termsOfServiceAccepted(boolean accepted) {
            this.termsOfServiceAccepted = accepted;
            return this;
        }

        /**
         * Sets external account binding credentials for CAs that require them.
         *
         * @param keyId   the key id the CA gave
         * @param hmacKey the base64url-encoded HMAC key the CA gave (a secret)
         * @return this builder
         * @deprecated EAB belongs to the account: {@link AccountRegistration.Builder#externalAccountBinding}
         */
        @Deprecated(since = "0.2.0")
        public Builder externalAccountBinding(String keyId, String hmacKey) {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(hmacKey, "hmacKey");
            this.eabKeyId = InputChecks.requireEabKeyId(keyId);
            this.eabHmacKey = InputChecks.requireEabHmacKey(hmacKey);
            return this;
        }

        /**
         * Checks every field and builds the request. Neither an email nor consent is needed: the
         * account set with {@link AutoCert.Builder#account} or {@link AutoCert#register} is used.
         *
         * @return the request
         * @throws InvalidInputException naming the first field that is missing or wrong, or an email
         *                               or EAB given without the Terms of Service accepted
         */
        public EnrollmentRequest build() {
            if ((email != null || eabKeyId != null) && !termsOfServiceAccepted) {
                throw new InvalidInputException("termsOfServiceAccepted", "false",
                        "must be true: the admin has to accept the CA's Terms of Service first");
            }
            if (binding == null) {
                throw new InvalidInputException("binding", null, "is missing: choose one of the server's bindings");
            }
            String checkedEmail = email == null ? null : InputChecks.requireEmail(email);
            if (binding.host().startsWith("*")) {
                throw new InvalidInputException("domain", binding.host(), "is a wildcard; a binding is a host the"
                        + " server listens for: put the wildcard in extraNames, with the DNS-01 challenge");
            }
            String domain = InputChecks.requireCertifiableName(binding.host(), challengeType);
            return new EnrollmentRequest(this, domain, checkedExtraNames(domain), checkedEmail, httpsBindingFor(domain));
        }

        private List<String> checkedExtraNames(String domain) {
            Set<String> names = new LinkedHashSet<>();
            for (String name : extraNames) {
                try {
                    names.add(InputChecks.requireCertifiableName(name, challengeType));
                } catch (InvalidInputException e) {
                    throw new InvalidInputException("extraNames", name, e.problem());
                }
            }
            names.remove(domain);
            if (names.size() > MAX_EXTRA_NAMES) {
                throw new InvalidInputException("extraNames", String.valueOf(names.size()),
                        "are too many: a certificate holds at most " + (MAX_EXTRA_NAMES + 1) + " names");
            }
            return List.copyOf(names);
        }

        private Binding httpsBindingFor(String domain) {
            if (binding.isHttps()) {
                if (httpsPort != null && httpsPort != binding.port()) {
                    throw new InvalidInputException("httpsPort", String.valueOf(httpsPort),
                            "must not differ from the port of the HTTPS binding " + binding);
                }
                return new Binding("https", domain, binding.port());
            }
            if (httpsPort == null) {
                throw new InvalidInputException("httpsPort", null,
                        "is missing: binding " + binding + " is plain HTTP, so give the HTTPS port to open");
            }
            return new Binding("https", domain, Binding.requirePort("httpsPort", httpsPort));
        }
    }
}
