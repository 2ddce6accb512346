package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.spi.BindingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Puts certificates on the host's bindings through the binding provider: a stored one at
 * start-up (its key loaded when a handshake first needs it), a new one verified by a handshake
 * and rolled back to the previous one where the binding does not serve it. Called with the
 * enrollment's lock held, except where the provider loads a certificate on a handshake thread.
 */
final class Installer {

    private static final Logger LOG = LoggerFactory.getLogger(Installer.class);

    private final StoredCertificates stored;
    private final BindingProvider bindingProvider;
    private final InstallVerifier verifier;
    private final EventDispatch events;
    private final CheckSchedule schedule;
    private final Clock clock;

    Installer(StoredCertificates stored, BindingProvider bindingProvider, InstallVerifier verifier, EventDispatch events,
              CheckSchedule schedule, Clock clock) {
        this.stored = stored;
        this.bindingProvider = bindingProvider;
        this.verifier = verifier;
        this.events = events;
        this.schedule = schedule;
        this.clock = clock;
    }

    /**
     * Installs the stored certificate if it is valid; otherwise the enrollment is due now. Unless
     * the install is to be verified, the binding provider gets the certificate's metadata and may
     * load the certificate itself when a handshake first needs it.
     */
    void installStored(ManagedEnrollment entry, boolean verify) {
        installStored(entry, verify, () -> stored.metadata(entry.name()));
    }

    /** As {@link #installStored(ManagedEnrollment, boolean)}, with the stored metadata read already. */
    void installStored(ManagedEnrollment entry, boolean verify, Supplier<Optional<CertificateMetadata>> metadata) {
        Instant now = clock.instant();
        Optional<CertificateMetadata> installed = verify ? installLoaded(entry, now) : installLazily(entry, now, metadata);
        if (installed.isEmpty()) {
            entry.scheduled(now);
            return;
        }
        entry.scheduled(schedule.afterInstall(installed.get(), entry.request(), entry.askCaAgainAt(), now));
    }

    private Optional<CertificateMetadata> installLoaded(ManagedEnrollment entry, Instant now) {
        Optional<IssuedCertificate> servable = stored.certificate(entry.name())
                .filter(certificate -> CheckSchedule.isServable(certificate.metadata(), now));
        servable.ifPresent(certificate -> installAndVerify(entry, certificate, null));
        return servable.map(IssuedCertificate::metadata);
    }

    private Optional<CertificateMetadata> installLazily(ManagedEnrollment entry, Instant now,
                                                        Supplier<Optional<CertificateMetadata>> storedMetadata) {
        Optional<CertificateMetadata> servable = storedMetadata.get()
                .filter(metadata -> CheckSchedule.isServable(metadata, now));
        if (servable.isEmpty()) {
            return servable;
        }
        CertificateMetadata metadata = servable.get();
        Binding httpsBinding = entry.request().httpsBinding();
        // a provider that loads at once (the default) has the key at hand, so its listeners hear both overloads
        AtomicReference<IssuedCertificate> loadedDuringInstall = new AtomicReference<>();
        AtomicBoolean installing = new AtomicBoolean(true);
        InstallResult result;
        try {
            result = bindingProvider.installStored(httpsBinding, metadata, () -> {
                IssuedCertificate loaded = loadStored(entry, metadata);
                if (installing.get()) {
                    loadedDuringInstall.set(loaded);
                }
                return loaded;
            });
        } catch (Exception e) {
            throw new AutoCertException("The stored certificate for " + entry.name() + " could not be installed on "
                    + httpsBinding + ": " + e.getMessage(), e);
        } finally {
            installing.set(false);
        }
        requireResult(result, httpsBinding);
        reportInstalled(metadata, httpsBinding, result, loadedDuringInstall.get());
        entry.installed(result, metadata.serialNumber());
        return servable;
    }

    /**
     * Loads a certificate installed by its metadata, when the binding provider needs it. If the
     * store no longer holds that certificate, the enrollment is checked again at the next wake-up.
     */
    private IssuedCertificate loadStored(ManagedEnrollment entry, CertificateMetadata metadata) {
        String serial = metadata.serialNumber();
        try {
            return stored.certificate(entry.name()).filter(loaded -> loaded.metadata().serialNumber().equals(serial))
                    .orElseThrow(() -> new CertificateStoreException("The store no longer holds the certificate "
                            + serial + " for " + entry.name(), null));
        } catch (RuntimeException e) {
            storedCertificateLost(entry, serial, clock.instant());
            throw e;
        }
    }

    /**
     * Called where the binding provider loads the certificate, which may be a handshake thread: one
     * that must not wait for a renewal in progress. Whoever holds the lock then decides what
     * follows, and the next handshake that needs the certificate reports its loss again.
     */
    private static void storedCertificateLost(ManagedEnrollment entry, String serial, Instant now) {
        if (entry.tryLock()) {
            try {
                entry.storedCertificateLost(serial, now);
            } finally {
                entry.unlock();
            }
        }
    }

    /**
     * Installs a certificate and, where it is live, checks that the binding serves it. If the
     * binding serves another certificate, the previous one is put back and the failure thrown;
     * the next check installs the stored certificate again.
     *
     * @param previous the certificate served before, or {@code null}
     */
    void installAndVerify(ManagedEnrollment entry, IssuedCertificate certificate, IssuedCertificate previous) {
        Binding httpsBinding = entry.request().httpsBinding();
        InstallResult result = install(httpsBinding, certificate);
        String serial = certificate.metadata().serialNumber();
        if (result == InstallResult.LIVE) {
            InstallVerifier.Outcome outcome = verifier.verify(httpsBinding, entry.name(), serial);
            if (outcome.verdict() == InstallVerifier.Verdict.OTHER_CERTIFICATE) {
                String message = "The certificate " + serial + " for " + entry.name() + " was installed on "
                        + httpsBinding + ", but a TLS handshake there got " + outcome.detail() + ".";
                throw rollBack(entry, result, previous, message);
            }
            if (outcome.verdict() == InstallVerifier.Verdict.NOT_CHECKED) {
                LOG.debug("Could not check that {} serves the certificate {}: {}", httpsBinding, serial, outcome.detail());
            }
        }
        entry.installed(result, serial);
    }

    /** Puts the previous certificate back where the binding does not serve the new one, if it is still good. */
    private AutoCertException rollBack(ManagedEnrollment entry, InstallResult result, IssuedCertificate previous,
                                       String message) {
        if (previous == null || !CheckSchedule.isServable(previous.metadata(), clock.instant())) {
            entry.installed(result, null);
            return new AutoCertException(message + " Installing is tried again later.");
        }
        try {
            install(entry.request().httpsBinding(), previous);
            entry.installed(result, previous.metadata().serialNumber());
            return new AutoCertException(message + " The previous certificate was put back; installing the new one is"
                    + " tried again later.");
        } catch (AutoCertException e) {
            entry.installed(result, null);
            AutoCertException failure = new AutoCertException(message + " Putting the previous certificate back failed"
                    + " too: " + e.getMessage());
            failure.addSuppressed(e);
            return failure;
        }
    }

    private InstallResult install(Binding httpsBinding, IssuedCertificate issued) {
        InstallResult result;
        try {
            result = bindingProvider.install(httpsBinding, issued);
        } catch (Exception e) {
            throw new AutoCertException("The certificate for " + issued.metadata().domain()
                    + " is stored, but could not be installed on " + httpsBinding + ": " + e.getMessage(), e);
        }
        requireResult(result, httpsBinding);
        reportInstalled(issued.metadata(), httpsBinding, result, issued);
        return result;
    }

    private void requireResult(InstallResult result, Binding httpsBinding) {
        if (result == null) {
            throw new AutoCertException("The binding provider " + bindingProvider.getClass().getName()
                    + " returned no install result for " + httpsBinding);
        }
    }

    private void reportInstalled(CertificateMetadata metadata, Binding httpsBinding, InstallResult result,
                                 IssuedCertificate loaded) {
        if (result == InstallResult.RESTART_REQUIRED) {
            LOG.warn("The certificate for {} is installed on {}; the server must restart to serve it",
                    metadata.domain(), httpsBinding);
        } else if (loaded != null) {
            LOG.info("The certificate for {} is live on {}", metadata.domain(), httpsBinding);
        } else {
            LOG.debug("The stored certificate for {} is live on {}, its key loaded at the first handshake that needs it",
                    metadata.domain(), httpsBinding);
        }
        events.installed(metadata, loaded, httpsBinding, result);
    }

    /** Asks the binding provider to stop serving an enrollment's certificate; a failure is only logged. */
    void uninstall(ManagedEnrollment entry) {
        try {
            bindingProvider.uninstall(entry.request().httpsBinding(), entry.request().names());
        } catch (Exception e) {
            LOG.warn("Could not stop serving the certificate of {} on {}: {}", entry.name(), entry.request().httpsBinding(),
                    e.toString());
        }
    }
}
