package dev.autocert4j.internal;

import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.IssuedCertificate;

import java.util.Objects;

/** Obtains a certificate for one DNS name; {@link AcmeIssuer} does it over ACME. */
public interface Issuer {

    /** Who the account is for, and the optional external account binding. */
    record Registration(String email, String eabKeyId, String eabHmacKey) {
        /** Checks the email is present. */
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
     * @return the certificate, its new private key and metadata
     * @throws dev.autocert4j.AutoCertException (or a subclass) on any failure
     */
    IssuedCertificate obtain(String domain, Registration registration, ChallengeResponder responder);
}
