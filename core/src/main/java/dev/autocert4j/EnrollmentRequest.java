package dev.autocert4j;

import dev.autocert4j.internal.InputChecks;

import java.util.Objects;
import java.util.Optional;

/**
 * What the admin chose on the "configure Let's Encrypt" form: the binding to secure, the HTTPS port
 * when that binding is plain HTTP, the registration email, the acceptance of the CA's Terms of
 * Service, and optional external account binding (EAB) credentials.
 *
 * <p>{@link Builder#build()} checks every field, so a request that exists is well-formed; whether
 * its binding is one the server listens on is checked by {@link AutoCert#enroll}.
 */
public final class EnrollmentRequest {

    private final Binding binding;
    private final Binding httpsBinding;
    private final String domain;
    private final String email;
    private final String eabKeyId;
    private final String eabHmacKey;

    private EnrollmentRequest(Builder builder, String domain, String email, Binding httpsBinding) {
        this.binding = builder.binding;
        this.httpsBinding = httpsBinding;
        this.domain = domain;
        this.email = email;
        this.eabKeyId = builder.eabKeyId;
        this.eabHmacKey = builder.eabHmacKey;
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

    /** @return the DNS name that goes on the certificate, in lower case */
    public String domain() {
        return domain;
    }

    /** @return the registration email */
    public String email() {
        return email;
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

    @Override
    public String toString() {
        return "EnrollmentRequest[binding=" + binding + ", httpsBinding=" + httpsBinding + ", email=" + email
                + ", externalAccountKeyId=" + eabKeyId + "]";
    }

    /** Builds an {@link EnrollmentRequest}; {@link #build()} checks every field. */
    public static final class Builder {
        private Binding binding;
        private Integer httpsPort;
        private String email;
        private boolean termsOfServiceAccepted;
        private String eabKeyId;
        private String eabHmacKey;

        private Builder() {
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
         * Sets the email the CA may write to about the account.
         *
         * @param email the address
         * @return this builder
         */
        public Builder email(String email) {
            this.email = Objects.requireNonNull(email, "email");
            return this;
        }

        /**
         * Records whether the admin accepted the CA's Terms of Service. Without acceptance,
         * {@link #build()} fails.
         *
         * @param accepted {@code true} if the admin accepted them
         * @return this builder
         */
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
         */
        public Builder externalAccountBinding(String keyId, String hmacKey) {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(hmacKey, "hmacKey");
            if (keyId.isBlank()) {
                throw new InvalidInputException("externalAccountKeyId", keyId, "must not be blank");
            }
            if (!hmacKey.strip().matches("[A-Za-z0-9_\\-=]+")) {
                throw new InvalidInputException("externalAccountHmacKey", null, "must be base64url-encoded");
            }
            this.eabKeyId = keyId.strip();
            this.eabHmacKey = hmacKey.strip();
            return this;
        }

        /**
         * Checks every field and builds the request.
         *
         * @return the request
         * @throws InvalidInputException naming the first field that is missing or wrong
         */
        public EnrollmentRequest build() {
            if (!termsOfServiceAccepted) {
                throw new InvalidInputException("termsOfServiceAccepted", "false",
                        "must be true: the admin has to accept the CA's Terms of Service first");
            }
            if (binding == null) {
                throw new InvalidInputException("binding", null, "is missing: choose one of the server's bindings");
            }
            if (email == null) {
                throw new InvalidInputException("email", null, "is missing: the CA needs a registration email");
            }
            String checkedEmail = InputChecks.requireEmail(email);
            String domain = InputChecks.requireCertifiableDomain(binding.host());
            return new EnrollmentRequest(this, domain, checkedEmail, httpsBindingFor(domain));
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
