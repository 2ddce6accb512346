package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.Binding;
import dev.autocert4j.BindingProvider;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.CheckResult;
import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.RenewalLock;
import dev.autocert4j.RenewalPolicy;
import dev.autocert4j.RenewalWindow;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.internal.acme.Poller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Keeps the managed enrollments' certificates valid: obtains, stores and installs them, decides
 * when each is looked at next, backs off after failures, pauses a name whose validation keeps
 * failing, and tells the listeners. Every failure is recorded once (status, log, listeners) where
 * the operation that met it began. All time comes from the injected clock.
 */
public final class CertificateKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateKeeper.class);

    /**
     * How the keeper decides and whom it tells.
     *
     * @param policy                      when to check and renew
     * @param clock                       the time source
     * @param random                      jitter and the instant chosen inside a CA's window
     * @param listeners                   told about every step
     * @param askRenewalInformation       whether to ask the CA for ACME Renewal Information
     * @param pauseAfterFailedValidations failed validations in a row after which a name is paused
     * @param keyType                     the key type where an enrollment chose none
     * @param profile                     the ACME profile where an enrollment chose none, or {@code null}
     * @param installVerifier             checks that an installed certificate is served
     * @param sleeper                     waits while another server renews a certificate asked for here
     * @param concurrentIssuance          how many certificates are obtained at once, at most
     */
    public record Settings(RenewalPolicy policy, Clock clock, RandomGenerator random, List<AutoCertListener> listeners,
                           boolean askRenewalInformation, int pauseAfterFailedValidations, KeyType keyType,
                           String profile, InstallVerifier installVerifier, Poller.Sleeper sleeper,
                           int concurrentIssuance) {
        /**
         * Makes the listeners immutable.
         *
         * @param policy                      when to check and renew
         * @param clock                       the time source
         * @param random                      jitter and the instant chosen inside a CA's window
         * @param listeners                   told about every step
         * @param askRenewalInformation       whether to ask the CA for ACME Renewal Information
         * @param pauseAfterFailedValidations failed validations in a row after which a name is paused
         * @param keyType                     the key type where an enrollment chose none
         * @param profile                     the ACME profile where an enrollment chose none, or {@code null}
         * @param installVerifier             checks that an installed certificate is served
         * @param sleeper                     waits while another server renews a certificate asked for here
         * @param concurrentIssuance          how many certificates are obtained at once, at most
         */
        public Settings {
            listeners = List.copyOf(listeners);
            sleeper = sleeper == null ? Poller.Sleeper.threadSleep() : sleeper;
            if (concurrentIssuance < 1) {
                throw new IllegalArgumentException("concurrentIssuance must be at least 1");
            }
        }

        /**
         * Settings that obtain one certificate at a time.
         *
         * @param policy                      when to check and renew
         * @param clock                       the time source
         * @param random                      jitter and the instant chosen inside a CA's window
         * @param listeners                   told about every step
         * @param askRenewalInformation       whether to ask the CA for ACME Renewal Information
         * @param pauseAfterFailedValidations failed validations in a row after which a name is paused
         * @param keyType                     the key type where an enrollment chose none
         * @param profile                     the ACME profile where an enrollment chose none, or {@code null}
         * @param installVerifier             checks that an installed certificate is served
         * @param sleeper                     waits while another server renews a certificate asked for here
         */
        public Settings(RenewalPolicy policy, Clock clock, RandomGenerator random, List<AutoCertListener> listeners,
                        boolean askRenewalInformation, int pauseAfterFailedValidations, KeyType keyType, String profile,
                        InstallVerifier installVerifier, Poller.Sleeper sleeper) {
            this(policy, clock, random, listeners, askRenewalInformation, pauseAfterFailedValidations, keyType, profile,
                    installVerifier, sleeper, 1);
        }

        /**
         * Settings that wait by sleeping the thread.
         *
         * @param policy                      when to check and renew
         * @param clock                       the time source
         * @param random                      jitter and the instant chosen inside a CA's window
         * @param listeners                   told about every step
         * @param askRenewalInformation       whether to ask the CA for ACME Renewal Information
         * @param pauseAfterFailedValidations failed validations in a row after which a name is paused
         * @param keyType                     the key type where an enrollment chose none
         * @param profile                     the ACME profile where an enrollment chose none, or {@code null}
         * @param installVerifier             checks that an installed certificate is served
         */
        public Settings(RenewalPolicy policy, Clock clock, RandomGenerator random, List<AutoCertListener> listeners,
                        boolean askRenewalInformation, int pauseAfterFailedValidations, KeyType keyType, String profile,
                        InstallVerifier installVerifier) {
            this(policy, clock, random, listeners, askRenewalInformation, pauseAfterFailedValidations, keyType, profile,
                    installVerifier, null);
        }
    }


    private final Issuer issuer;
    private final FailureRecorder failures;
    private final CertificateStore store;
    private final BindingProvider bindingProvider;
    private final Issuance issuance;
    private final Settings settings;
    private final CheckSchedule schedule;
    private final StoredCertificates certificates;
    private final Installer installer;
    private final EventDispatch events;
    private final Clock clock;
    private final ClusterSync cluster;
    private final Renewal renewal;
    private final EnrollmentRegistry registry;
    private final Statuses statuses;
    private final CheckPass checkPass;

    /**
     * @param issuer          obtains certificates
     * @param store           keeps certificates and enrollments
     * @param bindingProvider installs certificates
     * @param responder       answers HTTP-01 challenges
     * @param settings        how to decide and whom to tell
     */
    public CertificateKeeper(Issuer issuer, CertificateStore store, BindingProvider bindingProvider,
                             ChallengeResponder responder, Settings settings) {
        this(issuer, store, bindingProvider, Map.of(ChallengeType.HTTP_01, responder), settings);
    }

    /**
     * @param issuer          obtains certificates
     * @param store           keeps certificates and enrollments
     * @param bindingProvider installs certificates
     * @param responders      answer the challenges, by type
     * @param settings        how to decide and whom to tell
     */
    public CertificateKeeper(Issuer issuer, CertificateStore store, BindingProvider bindingProvider,
                             Map<ChallengeType, ChallengeResponder> responders, Settings settings) {
        this.issuer = issuer;
        this.store = store;
        this.bindingProvider = bindingProvider;
        this.issuance = new Issuance(issuer, responders, settings.concurrentIssuance(), settings.keyType(),
                settings.profile());
        this.settings = settings;
        this.schedule = new CheckSchedule(settings.policy(), settings.random());
        this.events = new EventDispatch(settings.listeners());
        this.certificates = new StoredCertificates(store);
        this.installer = new Installer(certificates, bindingProvider, settings.installVerifier(), events, schedule,
                settings.clock());
        this.clock = settings.clock();
        this.registry = new EnrollmentRegistry(clock);
        this.failures = new FailureRecorder(new FailurePolicy(settings.pauseAfterFailedValidations()), schedule,
                certificates, events, clock);
        this.cluster = new ClusterSync(ClusterSync.renewalLockOf(store), store, registry, installer, schedule, clock,
                settings.sleeper());
        this.renewal = new Renewal(registry, certificates, issuance, installer, cluster, schedule, events, clock,
                settings.askRenewalInformation());
        this.statuses = new Statuses(registry, certificates, cluster);
        this.checkPass = new CheckPass(registry, renewal, cluster, failures, certificates, schedule, statuses, clock,
                settings.concurrentIssuance());
    }

    /**
     * @param type a challenge type
     * @return whether a responder answers it
     */
    public boolean answers(ChallengeType type) {
        return issuance.answers(type);
    }

    /**
     * Installs a certificate another process saved for a managed enrollment, if it is servable and
     * not the one installed: how a renewal by one server of a cluster reaches the others. Called by
     * the store's watch; never throws.
     *
     * @param domain the enrollment's name
     */
    public void storedCertificateChanged(String domain) {
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
    public List<String> resume() {
        List<EnrollmentRequest> requests = new ArrayList<>();
        Set<Binding> listed = new HashSet<>(bindingProvider.bindings());
        store.loadEnrollments().forEach((name, choices) -> {
            if (registry.contains(name)) {
                return;
            }
            try {
                requests.add(EnrollmentCodec.decode(name, choices));
            } catch (InvalidInputException e) {
                LOG.warn("Not resuming the enrollment of {}: {}. Enroll it again or stop managing it.", name, e.getMessage());
            }
        });
        Optional<Map<String, CertificateMetadata>> metadataOfAll = certificates.metadataOfAll(requests.stream().map(EnrollmentRequest::domain).toList());
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

    /**
     * Puts an enrollment under management (and keeps it in the store when {@code remember} is set):
     * a stored certificate that is still valid is installed at once, without calling the CA;
     * otherwise the enrollment is due at the next check.
     *
     * @param request  the enrollment
     * @param remember whether to save the enrollment in the store
     * @return the status after installing the stored certificate, if any
     */
    public CertificateStatus manage(EnrollmentRequest request, boolean remember) {
        ManagedEnrollment entry = registry.lockedEntryFor(request);
        try {
            if (remember) {
                remember(entry, request);
            }
            failures.recording(entry, () -> installer.installStored(entry, false));
        } finally {
            entry.unlock();
        }
        return status(request.domain());
    }

    /**
     * Obtains a certificate now and keeps the enrollment under management, remembered in the store
     * first, so that a failure leaves it managed and retried. Throws on failure.
     *
     * @param request the enrollment
     * @return the status after the new certificate was installed
     */
    public CertificateStatus enroll(EnrollmentRequest request) {
        Issuance.warnIfTheCaValidatesElsewhere(request);
        ManagedEnrollment entry = registry.lockedEntryFor(request);
        try {
            remember(entry, request);
            failures.recording(entry, () -> {
                issuer.updateAccountEmail(request.email());
                renewal.renew(entry, true);
            });
        } finally {
            entry.unlock();
        }
        return status(request.domain());
    }

    /**
     * Renews a managed enrollment now, due or not, and ends a pause. Throws on failure.
     *
     * @param domain the enrollment's name
     * @return the status after renewal
     */
    public CertificateStatus renewNow(String domain) {
        ManagedEnrollment entry = registry.require(domain);
        entry.lock();
        try {
            entry.renewalAskedFor();
            failures.recording(entry, () -> renewal.renew(entry, true));
        } finally {
            entry.unlock();
        }
        return status(domain);
    }

    /**
     * Replaces a managed enrollment's certificate with a new one, then revokes the old one at the CA.
     *
     * @param domain the enrollment's name
     * @param reason why the old certificate is revoked
     * @return the status with the new certificate
     */
    public CertificateStatus revoke(String domain, RevocationReason reason) {
        ManagedEnrollment entry = registry.require(domain);
        entry.lock();
        try {
            IssuedCertificate old = store.loadCertificate(domain).orElseThrow(() -> new InvalidInputException("domain",
                    domain, "has no stored certificate to revoke"));
            entry.pauseEnded();
            failures.recording(entry, () -> renewal.renew(entry, true, old.metadata().serialNumber()));
            try {
                issuer.revoke(old, reason);
            } catch (AutoCertException e) {
                String message = "A new certificate for " + domain + " is in place, but revoking the previous one (serial "
                        + old.metadata().serialNumber() + ") failed: " + e.getMessage();
                LOG.warn("{}", message);
                throw new AutoCertException(message, e);
            }
        } finally {
            entry.unlock();
        }
        return status(domain);
    }

    /**
     * Makes the account's contact this email at the CA, and in every managed enrollment.
     *
     * @param email the new email, already checked
     */
    public void updateAccountEmail(String email) {
        issuer.updateAccountEmail(email);
        for (ManagedEnrollment entry : registry.all()) {
            entry.lock();
            try {
                EnrollmentRequest updated = entry.request().toBuilder().email(email).build();
                entry.requested(updated);
                remember(entry, updated);
            } finally {
                entry.unlock();
            }
        }
    }

    /**
     * Stops managing an enrollment; its stored certificate and key stay unless asked otherwise.
     * Waits for work in progress on it to end.
     *
     * @param domain            the enrollment's name
     * @param deleteCertificate whether to delete the stored certificate and key too
     * @throws InvalidInputException if the name is neither managed nor stored
     */
    public void unmanage(String domain, boolean deleteCertificate) {
        ManagedEnrollment entry = registry.remove(domain);
        if (entry == null && !store.loadEnrollments().containsKey(domain)) {
            throw new InvalidInputException("domain", domain, "is not managed");
        }
        if (entry != null) {
            entry.lock(); // wait for a renewal in progress
            entry.unlock();
        }
        store.deleteEnrollment(domain);
        if (deleteCertificate) {
            store.deleteCertificate(domain);
            if (entry != null) {
                installer.uninstall(entry);
            }
        }
        LOG.info("Stopped managing {}{}", domain, deleteCertificate ? "; its stored certificate and key are deleted"
                : "; its stored certificate stays, and keeps being served until replaced or expired");
    }

    /**
     * Looks at every managed enrollment now, whatever its schedule and back-off, each once: obtains
     * what is missing and renews what is due, expired or short of a name, as a scheduled check
     * would; a name paused after failed validations stays paused. Waits for work in progress on a
     * name, then looks at it. One failing does not stop the others.
     *
     * @return per enrollment, what was done, why, and its condition afterwards
     */
    public CheckResult checkAll() {
        return checkPass.checkAll();
    }

    /** Looks at every managed enrollment whose time has come; one failing does not stop the others. */
    public void checkDue() {
        checkPass.checkDue();
    }

    /**
     * The status from the store plus the schedule and the last attempt. Never calls the CA.
     *
     * @param domain the enrollment's name
     * @return the status
     */
    public CertificateStatus status(String domain) {
        return statuses.status(domain);
    }

    /** @return the earliest instant at which an enrollment is to be looked at */
    public Optional<Instant> earliestCheck() {
        return registry.earliestCheck();
    }

    /** @return the managed enrollments */
    public List<EnrollmentRequest> enrollments() {
        return registry.requests();
    }

    /** @return the names of the managed enrollments */
    public List<String> managedDomains() {
        return registry.names();
    }

    private void remember(ManagedEnrollment entry, EnrollmentRequest request) {
        store.saveEnrollment(request.domain(), EnrollmentCodec.encode(request));
        entry.storedInStore();
    }

}
