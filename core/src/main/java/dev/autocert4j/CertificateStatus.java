package dev.autocert4j;

import java.time.Instant;

/**
 * What the admin sees about a domain's certificate: when it was last renewed, when it expires,
 * when the next check runs, and the last error if the last attempt failed. Components are
 * {@code null} where nothing is known yet.
 *
 * @param domain        the DNS name
 * @param lastRenewed   when the current certificate was obtained, or {@code null}
 * @param notBefore     the start of its validity, or {@code null}
 * @param notAfter      when it expires, or {@code null}
 * @param serialNumber  its serial number in hex, or {@code null}
 * @param issuer        its issuer's distinguished name, or {@code null}
 * @param nextCheck     when renewal is checked next, or {@code null} if not scheduled
 * @param lastAttempt   when a certificate was last requested, or {@code null}
 * @param lastError     the message of the last failed attempt, or {@code null} if it succeeded
 * @param installResult how the certificate was last installed, or {@code null}
 * @param renewalWindow the renewal window the CA suggested (ACME Renewal Information), or {@code null}
 */
public record CertificateStatus(String domain, Instant lastRenewed, Instant notBefore, Instant notAfter,
                                String serialNumber, String issuer, Instant nextCheck, Instant lastAttempt,
                                String lastError, InstallResult installResult, RenewalWindow renewalWindow) {

    /**
     * The status of a domain with a stored certificate.
     *
     * @param metadata the certificate's metadata
     * @return a status with the certificate's details and nothing else
     */
    public static CertificateStatus of(CertificateMetadata metadata) {
        return new CertificateStatus(metadata.domain(), metadata.issuedAt(), metadata.notBefore(),
                metadata.notAfter(), metadata.serialNumber(), metadata.issuer(), null, null, null, null, null);
    }

    /**
     * The status of a domain without any certificate yet.
     *
     * @param domain the DNS name
     * @return an empty status
     */
    public static CertificateStatus none(String domain) {
        return new CertificateStatus(domain, null, null, null, null, null, null, null, null, null, null);
    }

    /** @return whether a certificate is stored for the domain */
    public boolean hasCertificate() {
        return notAfter != null;
    }

    /**
     * @param attempt when the attempt was made
     * @param error   what went wrong, or {@code null} if it succeeded
     * @return a copy with the outcome of an attempt
     */
    public CertificateStatus withAttempt(Instant attempt, String error) {
        return new CertificateStatus(domain, lastRenewed, notBefore, notAfter, serialNumber, issuer, nextCheck,
                attempt, error, installResult, renewalWindow);
    }

    /**
     * @param next when renewal is checked next
     * @return a copy with the next check
     */
    public CertificateStatus withNextCheck(Instant next) {
        return new CertificateStatus(domain, lastRenewed, notBefore, notAfter, serialNumber, issuer, next,
                lastAttempt, lastError, installResult, renewalWindow);
    }

    /**
     * @param result how the certificate was installed
     * @return a copy with the install result
     */
    public CertificateStatus withInstallResult(InstallResult result) {
        return new CertificateStatus(domain, lastRenewed, notBefore, notAfter, serialNumber, issuer, nextCheck,
                lastAttempt, lastError, result, renewalWindow);
    }

    /**
     * @param window the CA's suggested renewal window, or {@code null}
     * @return a copy with the renewal window
     */
    public CertificateStatus withRenewalWindow(RenewalWindow window) {
        return new CertificateStatus(domain, lastRenewed, notBefore, notAfter, serialNumber, issuer, nextCheck,
                lastAttempt, lastError, installResult, window);
    }
}
