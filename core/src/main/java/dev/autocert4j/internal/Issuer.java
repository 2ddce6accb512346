package dev.autocert4j.internal;

import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.RenewalWindow;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** Obtains a certificate for one DNS name; {@link AcmeIssuer} does it over ACME. */
public interface Issuer {

    /**
     * Who the account is for, and the optional external account binding.
     *
     * @param email      the registration email
     * @param eabKeyId   the EAB key id, or {@code null}
     * @param eabHmacKey the EAB HMAC key (a secret), or {@code null}
     */
    record Registration(String email, String eabKeyId, String eabHmacKey) {
        /**
         * Checks the email is present.
         *
         * @param email      the registration email
         * @param eabKeyId   the EAB key id, or {@code null}
         * @param eabHmacKey the EAB HMAC key (a secret), or {@code null}
         */
        public Registration {
            Objects.requireNonNull(email, "email");
        }

        @Override
        public String toString() {
            return "Registration[email=" + email + ", eabKeyId=" + eabKeyId + "]";
        }
    }

    /**
     * Obtains a certificate, answering the challenge through the responder.
     *
     * @param domain       the DNS name, already checked
     * @param registration the account's email and optional EAB credentials
     * @param responder    answers the challenge
     * @param replacing    the certificate the new one replaces (named in the order where the CA
     *                     supports ACME Renewal Information), or {@code null}
     * @return the certificate, its new private key and metadata
     * @throws dev.autocert4j.AutoCertException (or a subclass) on any failure
     */
    IssuedCertificate obtain(String domain, Registration registration, ChallengeResponder responder,
                             X509Certificate replacing);

    /**
     * Asks the CA when a certificate should be renewed (ACME Renewal Information, RFC 9773).
     *
     * @param certificate loads the current certificate; called only if the CA offers renewal information
     * @return the CA's suggested window, or empty where the CA does not offer renewal information
     *         or no account exists yet
     * @throws dev.autocert4j.AutoCertException if the CA offers it but cannot be asked now
     */
    Optional<RenewalWindow> renewalWindow(Supplier<X509Certificate> certificate);
}
