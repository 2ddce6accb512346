package dev.autocert4j.spi;

import dev.autocert4j.CertificateMetadata;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides when a certificate is due for renewal and how often to check.
 * {@link #standard()} is the product's promise: check every 24 hours, renew within 21 days of expiry.
 *
 * @since 0.2.0 in this package; before, {@code dev.autocert4j.RenewalPolicy}
 */
public interface RenewalPolicy {

    /**
     * Says from when a certificate should be renewed.
     *
     * @param certificate the stored certificate's metadata
     * @return the first instant at which it is due
     */
    Instant renewalTime(CertificateMetadata certificate);

    /**
     * Says how long to wait between two checks of a certificate.
     *
     * @param certificate the stored certificate's metadata
     * @return the pause until the next check, positive
     */
    Duration checkInterval(CertificateMetadata certificate);

    /**
     * Says whether a certificate is due for renewal now.
     *
     * @param certificate the stored certificate's metadata
     * @param now         the current time
     * @return {@code true} if it should be renewed
     */
    default boolean isDue(CertificateMetadata certificate, Instant now) {
        return !now.isBefore(renewalTime(certificate));
    }

    /** @return check every 24 hours, renew when the certificate expires within 21 days */
    static RenewalPolicy standard() {
        return new StandardRenewalPolicy(Duration.ofHours(24), Duration.ofDays(21));
    }

    /**
     * A policy with other numbers, still clamped to each certificate's lifetime.
     *
     * @param checkEvery  the pause between checks
     * @param renewWithin renew when the certificate expires within this time
     * @return the policy
     */
    static RenewalPolicy of(Duration checkEvery, Duration renewWithin) {
        return new StandardRenewalPolicy(checkEvery, renewWithin);
    }
}
