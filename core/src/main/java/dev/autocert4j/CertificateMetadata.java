package dev.autocert4j;

import java.math.BigInteger;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What is known about an issued certificate besides the certificate itself: when it was obtained,
 * its validity, and which CA and account it came from.
 *
 * @param domain          the DNS name the certificate was issued for
 * @param issuedAt        when autocert4j obtained it (shown as "last renewed")
 * @param notBefore       the start of its validity
 * @param notAfter        the end of its validity (shown as "expires")
 * @param serialNumber    the serial number in lower-case hex
 * @param issuer          the issuer's distinguished name
 * @param caDirectory     the ACME directory it came from, or {@code null} if unknown
 * @param accountLocation the ACME account that ordered it, or {@code null} if unknown
 */
public record CertificateMetadata(String domain, Instant issuedAt, Instant notBefore, Instant notAfter,
                                  String serialNumber, String issuer, URI caDirectory, URI accountLocation) {

    /**
     * Checks that the required components are present.
     *
     * @param domain the DNS name the certificate was issued for
     * @param issuedAt when autocert4j obtained it (shown as "last renewed")
     * @param notBefore the start of its validity
     * @param notAfter the end of its validity (shown as "expires")
     * @param serialNumber the serial number in lower-case hex
     * @param issuer the issuer's distinguished name
     * @param caDirectory the ACME directory it came from, or {@code null} if unknown
     * @param accountLocation the ACME account that ordered it, or {@code null} if unknown
     */
    public CertificateMetadata {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(issuer, "issuer");
    }

    /**
     * Reads the validity, serial number and issuer from a certificate.
     *
     * @param domain          the DNS name it was issued for
     * @param leaf            the end-entity certificate
     * @param issuedAt        when it was obtained
     * @param caDirectory     the ACME directory it came from, or {@code null}
     * @param accountLocation the ACME account that ordered it, or {@code null}
     * @return the metadata
     */
    public static CertificateMetadata of(String domain, X509Certificate leaf, Instant issuedAt, URI caDirectory,
                                         URI accountLocation) {
        Objects.requireNonNull(leaf, "leaf");
        return new CertificateMetadata(domain, issuedAt, leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant(), hexSerial(leaf.getSerialNumber()),
                leaf.getIssuerX500Principal().getName(), caDirectory, accountLocation);
    }

    /**
     * Formats a serial number the way the metadata keeps it.
     *
     * @param serial the serial number
     * @return the serial number in lower-case hex
     */
    public static String hexSerial(BigInteger serial) {
        return serial.toString(16);
    }

    /** @return the certificate's whole validity period */
    public Duration lifetime() {
        return Duration.between(notBefore, notAfter);
    }

    /**
     * @param now the current time
     * @return whether the certificate is valid at {@code now}
     */
    public boolean isValidAt(Instant now) {
        return !now.isBefore(notBefore) && now.isBefore(notAfter);
    }
}
