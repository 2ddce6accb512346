package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.CheckResult;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.internal.acme.Poller;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.RenewalPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Keeps the managed enrollments' certificates valid: obtains, stores and installs them, decides
 * when each is looked at next, backs off after failures, pauses a name whose validation keeps
 * failing, and tells the listeners. Every failure is recorded once (status, log, listeners) where
 * the operation that met it began. All time comes from the injected clock.
 *
 * <p>This is what the facade calls; the work is done by collaborators named after their job: the
 * {@code EnrollmentRegistry}, the {@code CheckSchedule}, the {@code FailurePolicy} and its
 * {@code FailureRecorder}, {@code ClusterSync}, {@code Issuance}, the {@code Installer}, {@code Renewal},
 * {@code CheckPass}, {@code Resumption}, {@code Statuses} and {@code EventDispatch}. An enrollment's state
 * changes only through the transitions of {@code ManagedEnrollment}, under its lock.
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
                           String profile, InstallVerifier installVerifier, Sleeper sleeper,
                           int concurrentIssuance) {
        /** Makes the listeners immutable; a {@code null} sleeper sleeps the thread. */
        public Settings {
            listeners = List.copyOf(listeners);
            sleeper = sleeper == null ? Sleeper.threadSleep() : sleeper;
            if (concurrentIssuance < 1) {
                throw new IllegalArgumentException("concurrentIssuance must be at least 1");
            }
        }

        /** Settings that obtain one certificate at a time; the parameters are those of the record. */
        public Settings(RenewalPolicy policy, Clock clock, RandomGenerator random, List<AutoCertListener> listeners,
                        boolean askRenewalInformation, int pauseAfterFailedValidations, KeyType keyType, String profile,
                        InstallVerifier installVerifier, Sleeper sleeper) {
            this(policy, clock, random, listeners, askRenewalInformation, pauseAfterFailedValidations, keyType, profile,
                    installVerifier, sleeper, 1);
        }

        /** Settings that obtain one certificate at a time and wait by sleeping the thread. */
        public Settings(RenewalPolicy policy, Clock clock, RandomGenerator random, List<AutoCertListener> listeners,
                        boolean askRenewalInformation, int pauseAfterFailedValidations, KeyType keyType, String profile,
                        InstallVerifier installVerifier) {
            this(policy, clock, random, listeners, askRenewalInformation, pauseAfterFailedValidations, keyType, profile,
                    installVerifier, null);
        }
    }

    private final Issuer issuer;
    private final CertificateStore store;
    private final EnrollmentRegistry registry;
    private final Issuance issuance;
    private final Installer installer;
    private final FailureRecorder failures;
    private final Renewal renewal;
    private final Resumption resumption;
    private final Statuses statuses;
    private final CheckPass checkPass;

    /**
     * @param issuer          obtains certificates
     * @param store           keeps certificates and enrollments
     * @param bindingProvider installs certificates
     * @param solver          answers the challenges of its type
     * @param settings        how to decide and whom to tell
     */
    public CertificateKeeper(Issuer issuer, CertificateStore store, BindingProvider bindingProvider,
                             ChallengeSolver solver, Settings settings) {
        this(issuer, store, bindingProvider, Map.of(solver.type(), solver), settings);
    }

    /**
     * @param issuer          obtains certificates
     * @param store           keeps certificates and enrollments
     * @param bindingProvider installs certificates
     * @param solvers         answer the challenges, by type
     * @param settings        how to decide and whom to tell
     */
    public CertificateKeeper(Issuer issuer, CertificateStore store, BindingProvider bindingProvider,
                             Map<ChallengeType, ChallengeSolver> solvers, Settings settings) {
        this.issuer = issuer;
        this.store = store;
        Clock clock = settings.clock();
        this.registry = new EnrollmentRegistry(clock);
        this.issuance = new Issuance(issuer, solvers, settings.concurrentIssuance(), settings.keyType(),
                settings.profile());
        CheckSchedule schedule = new CheckSchedule(settings.policy(), settings.random());
        EventDispatch events = new EventDispatch(settings.listeners());
        StoredCertificates certificates = new StoredCertificates(store);
        this.installer = new Installer(certificates, bindingProvider, settings.installVerifier(), events, schedule, clock);
        this.failures = new FailureRecorder(new FailurePolicy(settings.pauseAfterFailedValidations()), schedule,
                certificates, events, clock);
        ClusterSync cluster = new ClusterSync(ClusterSync.renewalLockOf(store), store, registry, installer, schedule,
                clock, settings.sleeper());
        this.renewal = new Renewal(registry, certificates, issuance, installer, cluster, schedule, events, clock,
                settings.askRenewalInformation());
        this.resumption = new Resumption(certificates, bindingProvider, registry, installer, failures, clock);
        this.statuses = new Statuses(registry, certificates, cluster);
        this.checkPass = new CheckPass(registry, renewal, cluster, failures, certificates, schedule, statuses, clock,
                settings.concurrentIssuance());
    }

    /**
     * Keeps due certificates of names no longer allowed from being renewed automatically (an
     * on-demand name its guard refuses now); {@link #renewNow} still renews them.
     *
     * @param renewable whether a name may still be renewed; asked when it is due
     */
    public void renewOnlyWhen(Predicate<String> renewable) {
        renewal.renewOnlyWhen(Objects.requireNonNull(renewable, "renewable"));
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
        resumption.storedCertificateChanged(domain);
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
        return resumption.resume();
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
            failures.recording(entry, () -> renewal.renew(entry, true));
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
     * Makes the account's contact this email at the CA and in the stored account. Enrollments keep
     * what they were stored with: the account's contact wins over an enrollment's email.
     *
     * @param email the new email, already checked
     */
    public void updateAccountEmail(String email) {
        issuer.updateAccountEmail(email);
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

    /** Lets its checker threads end; checks asked for later run on the caller's thread alone. */
    public void close() {
        checkPass.close();
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
