package dev.autocert4j.internal;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.CertificateStoreException;

import java.util.Optional;

/**
 * The status of a name: its stored certificate, plus the schedule and the last attempt where it
 * is managed. Never calls the CA.
 */
final class Statuses {

    private final EnrollmentRegistry registry;
    private final StoredCertificates certificates;
    private final ClusterSync cluster;

    Statuses(EnrollmentRegistry registry, StoredCertificates certificates, ClusterSync cluster) {
        this.registry = registry;
        this.certificates = certificates;
        this.cluster = cluster;
    }

    /** The status read from the store now; a record the store refuses shows as no certificate, with why. */
    CertificateStatus status(String domain) {
        try {
            return status(domain, certificates.metadata(domain));
        } catch (CertificateStoreException e) {
            // a damaged or refused record (a forged row, say) is shown as no certificate, with why; never thrown,
            // so a status page or a loop over every name still shows the others
            CertificateStatus status = status(domain, Optional.empty());
            return status.lastError() != null ? status : status.toBuilder().lastError(e.getMessage()).build();
        }
    }

    /** The status with the stored certificate read already ({@code empty}: none). */
    CertificateStatus status(String domain, Optional<CertificateMetadata> certificate) {
        CertificateStatus.Builder status = CertificateStatus.builder(domain);
        ManagedEnrollment entry = registry.get(domain);
        if (certificate.isPresent()) {
            status.certificate(certificate.get());
        } else if (entry != null) {
            status.names(entry.request().names()); // the names it is to cover
        }
        if (entry != null) {
            status.nextCheck(entry.nextCheck()).renewalWindow(entry.window()).lastAttempt(entry.lastAttempt())
                    .lastError(entry.lastError()).installResult(entry.installResult())
                    .consecutiveFailures(entry.failures()).pausedUntil(entry.pausedUntil())
                    .skippedAuthorities(entry.skippedAuthorities()).certificateWarning(entry.certificateWarning());
        }
        return status.renewalLockHolder(cluster.lockHolder(domain)).build();
    }
}
