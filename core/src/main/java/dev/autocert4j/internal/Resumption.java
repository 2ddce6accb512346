package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.BindingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Takes up what the store holds and this server does not serve yet: the stored enrollments at
 * start-up, and, from the store's watch, a certificate or an enrollment another server of a
 * cluster stored.
 */
final class Resumption {

    private static final Logger LOG = LoggerFactory.getLogger(Resumption.class);

    private final CertificateStore store;
    private final StoredCertificates certificates;
    private final BindingProvider bindingProvider;
    private final EnrollmentRegistry registry;
    private final Installer installer;
    private final FailureRecorder failures;
    private final Clock clock;

    Resumption(StoredCertificates certificates, BindingProvider bindingProvider, EnrollmentRegistry registry,
               Installer installer, FailureRecorder failures, Clock clock) {
        this.store = certificates.store();
        this.certificates = certificates;
        this.bindingProvider = bindingProvider;
        this.registry = registry;
        this.installer = installer;
        this.failures = failures;
        this.clock = clock;
    }

    /**
     * Installs a certificate another process saved for a managed enrollment, if it is servable and
     * not the one installed: how a renewal by one server of a cluster reaches the others. Called by
     * the store's watch; never throws.
     *
     * @param domain the enrollment's name
     */
    void storedCertificateChanged(String domain) {
        ManagedEnrollment entry = registry.get(domain);
        if (entry == null) {
            resumeEnrolledElsewhere(domain);
            return;
        }
        entry.lock();
        try {
            Optional<CertificateMetadata> stored = store.loadMetadata(domain);
            if (stored.isPresent() && CheckSchedule.isServable(stored.get(), clock.instant())
                    && !stored.get().serialNumber().equals(entry.installedSerial())) {
                LOG.info("A new certificate for {} (serial {}) was stored by another server; installing it", domain,
                        stored.get().serialNumber());
                failures.recording(entry, () -> installer.installStored(entry, true));
                entry.recovered();
            }
        } catch (AutoCertException e) {
            LOG.warn("Could not install the certificate for {} that another server stored: {}", domain, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Could not install the certificate for {} that another server stored", domain, e);
        } finally {
            entry.unlock();
        }
    }

    /**
     * A certificate was stored for a name this server does not manage: another server of a cluster
     * enrolled it after this one started. Its enrollment is taken from the store and resumed here,
     * with the certificate installed, so every server serves and renews it. Never throws.
     */
    private void resumeEnrolledElsewhere(String domain) {
        if (!store.keepsEnrollments()) {
            return;
        }
        try {
            if (resume().contains(domain)) {
                LOG.info("{} was enrolled by another server; it is managed and served here too", domain);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not take up the enrollment of {} that another server made: {}", domain, e.toString());
        }
    }

    /**
     * Puts every enrollment the store keeps under management that is not managed yet, installing
     * each stored valid certificate without calling the CA. One enrollment that cannot be read or
     * installed is reported and does not stop the others.
     *
     * @return the names resumed
     * @throws dev.autocert4j.CertificateStoreException if the store cannot list its enrollments
     */
    List<String> resume() {
        List<EnrollmentRequest> requests = new ArrayList<>();
        Set<Binding> listed = new HashSet<>(bindingProvider.bindings());
        store.loadEnrollments().forEach((name, choices) -> {
            if (registry.contains(name)) {
                return;
            }
            try {
                requests.add(EnrollmentCodec.decode(name, choices));
            } catch (InvalidInputException e) {
                LOG.warn("Not resuming the enrollment of {}: {}. Enroll it again or stop managing it.", name,
                        e.getMessage());
            }
        });
        Optional<Map<String, CertificateMetadata>> metadataOfAll = certificates.metadataOfAll(
                requests.stream().map(EnrollmentRequest::domain).toList());
        List<String> resumed = new ArrayList<>();
        for (EnrollmentRequest request : requests) {
            if (!listed.contains(request.binding())) {
                LOG.warn("The stored enrollment of {} names the binding {}, which the server no longer lists;"
                        + " it stays managed. Enroll again with a current binding, or stop managing it.",
                        request.domain(), request.binding());
            }
            ManagedEnrollment entry = registry.lockedEntryFor(request);
            try {
                entry.storedInStore();
                Supplier<Optional<CertificateMetadata>> metadata = metadataOfAll.isPresent()
                        ? () -> Optional.ofNullable(metadataOfAll.get().get(request.domain()))
                        : () -> certificates.metadata(request.domain());
                failures.recording(entry, () -> installer.installStored(entry, false, metadata));
            } catch (AutoCertException e) {
                // recorded in the status and retried; the other enrollments go on
            } finally {
                entry.unlock();
            }
            resumed.add(request.domain());
        }
        return resumed;
    }
}
