package dev.autocert4j;

/** Why a certificate is revoked (RFC 5280 reason codes that an ACME CA accepts from a subscriber). */
public enum RevocationReason {
    /** No reason given. */
    UNSPECIFIED,
    /**
     * The certificate's private key was, or may have been, disclosed. The request is signed with
     * that key itself, as CAs such as Let's Encrypt require for this reason; the CA then refuses
     * the key for new certificates.
     */
    KEY_COMPROMISE,
    /** The subject's name or other information in the certificate changed. */
    AFFILIATION_CHANGED,
    /** A new certificate replaces it (the usual reason). */
    SUPERSEDED,
    /** The portal no longer runs under these names. */
    CESSATION_OF_OPERATION
}
