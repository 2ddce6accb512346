package dev.autocert4j;

import dev.autocert4j.internal.Issuer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Keeps the managed domains' certificates valid: obtains, stores and installs them, decides when
 * each is checked next, backs off after failures, and tells the listeners. One renewal runs at a
 * time. All time comes from the injected clock.
 */
final class CertificateKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateKeeper.class);

    /** Pauses after the 1st, 2nd, 3rd and later consecutive failures. */
    static final List<Duration> BACKOFF = List.of(Duration.ofMinutes(1), Duration.ofMinutes(10),
            Duration.ofMinutes(100), Duration.ofHours(24));
    private static final Duration MAX_JITTER = Duration.ofMinutes(5);

    private final Issuer issuer;
    private final CertificateStore store;
    private final BindingProvider bindingProvider;
    private final ChallengeResponder responder;
    private final RenewalPolicy policy;
    private final Clock clock;
    private final RandomGenerator random;
    private final List<AutoCertListener> listeners;
    private final boolean askRenewalInformation;
    private final Map<String, Managed> managed = new ConcurrentHashMap<>();
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

    /** A domain under management: what the admin chose, and when it is checked next. */
    private static final class Managed {
        final EnrollmentRequest request;
        volatile Instant nextCheck;
        volatile int failures;
        /** The CA's suggested window for the current certificate, and the random instant chosen inside it. */
        volatile RenewalWindow window;
        volatile Instant windowTarget;

        Managed(EnrollmentRequest request, Instant nextCheck) {
            this.request = request;
            this.nextCheck = nextCheck;
        }
    }

    /** The outcome of the last attempt for a domain. */
    private record Attempt(Instant at, String error, InstallResult installResult) {
    }

    CertificateKeeper(Issuer issuer, CertificateStore store, BindingProvider bindingProvider,
                      ChallengeResponder responder, RenewalPolicy policy, Clock clock, RandomGenerator random,
                      List<AutoCertListener> listeners, boolean askRenewalInformation) {
        this.issuer = issuer;
        this.store = store;
        this.bindingProvider = bindingProvider;
        this.responder = responder;
        this.policy = policy;
        this.clock = clock;
        this.random = random;
        this.listeners = List.copyOf(listeners);
        this.askRenewalInformation = askRenewalInformation;
    }

    /**
     * Puts a domain under management. A stored certificate that is still valid is installed at
     * once, without calling the CA; otherwise the domain is due for a check now.
     */
    synchronized CertificateStatus manage(EnrollmentRequest request) {
        Instant now = clock.instant();
        Optional<IssuedCertificate> stored = store.loadCertificate(request.domain())
                .filter(certificate -> certificate.metadata().isValidAt(now));
        Managed entry = new Managed(request, now);
        managed.put(request.domain(), entry);
        stored.ifPresent(certificate -> {
            install(request.httpsBinding(), certificate);
            entry.nextCheck = policy.isDue(certificate.metadata(), now) ? now : nextRegularCheck(certificate.metadata(), now);
        });
        return status(request.domain());
    }

    /** Obtains a certificate now and puts the domain under management. Throws on failure. */
    synchronized CertificateStatus enroll(EnrollmentRequest request) {
        Managed entry = managed.compute(request.domain(), (domain, old) -> new Managed(request, clock.instant()));
        renew(entry);
        return status(request.domain());
    }

    /** Renews a managed domain now, due or not. Throws on failure. */
    synchronized CertificateStatus renewNow(String domain) {
        Managed entry = managed.get(domain);
        if (entry == null) {
            throw new InvalidInputException("domain", domain, "is not managed: enroll it or call manage(...) first");
        }
        renew(entry);
        return status(domain);
    }

    /** Checks every managed domain whose check is due, renewing those the policy says are due. */
    synchronized void checkDue() {
        for (Managed entry : managed.values()) {
            if (!clock.instant().isBefore(entry.nextCheck)) {
                check(entry);
            }
        }
    }

    /** @return the earliest next check over all managed domains */
    Optional<Instant> earliestCheck() {
        return managed.values().stream().map(entry -> entry.nextCheck).min(Instant::compareTo);
    }

    private void check(Managed entry) {
        String domain = entry.request.domain();
        Instant now = clock.instant();
        Optional<CertificateMetadata> current;
        try {
            current = store.loadMetadata(domain);
        } catch (CertificateStoreException e) {
            recordFailure(entry, e, null);
            return;
        }
        if (current.isPresent()) {
            CertificateMetadata metadata = current.get();
            Optional<Instant> suggested = renewalTimeSuggestedByCa(entry);
            boolean due = suggested.map(at -> !now.isBefore(at)).orElseGet(() -> policy.isDue(metadata, now));
            if (!due) {
                Instant next = nextRegularCheck(metadata, now);
                entry.nextCheck = suggested.filter(at -> at.isBefore(next)).orElse(next);
                LOG.info("Certificate for {} expires {}; not due for renewal until {}{}; next check {}", domain,
                        metadata.notAfter(), suggested.orElseGet(() -> policy.renewalTime(metadata)),
                        suggested.isPresent() ? " (the CA's renewal window)" : "", entry.nextCheck);
                return;
            }
        }
        LOG.info("Certificate for {} is {}; renewing", domain,
                current.map(m -> "due (expires " + m.notAfter() + ")").orElse("missing"));
        try {
            renew(entry);
        } catch (AutoCertException e) {
            // recorded and reported by renew; the renewal thread carries on with the next domain
        }
    }

    /**
     * Where the CA offers ACME Renewal Information, its window decides: a random instant inside it,
     * kept while the window stays the same. Without it, or if it cannot be read, the policy decides.
     */
    private Optional<Instant> renewalTimeSuggestedByCa(Managed entry) {
        if (!askRenewalInformation) {
            return Optional.empty();
        }
        Optional<RenewalWindow> window;
        try {
            window = issuer.renewalWindow(() -> store.loadCertificate(entry.request.domain())
                    .map(IssuedCertificate::leaf)
                    .orElseThrow(() -> new CertificateStoreException("The certificate for " + entry.request.domain()
                            + " disappeared from the store", null)));
        } catch (AutoCertException e) {
            LOG.warn("Could not read the CA's renewal information for {}; the renewal policy decides: {}",
                    entry.request.domain(), e.getMessage());
            return Optional.empty();
        }
        if (window.isEmpty()) {
            entry.window = null;
            return Optional.empty();
        }
        RenewalWindow suggested = window.get();
        if (!suggested.equals(entry.window)) {
            entry.window = suggested;
            long spanMillis = Duration.between(suggested.start(), suggested.end()).toMillis();
            entry.windowTarget = suggested.start().plusMillis(spanMillis <= 0 ? 0 : random.nextLong(spanMillis));
            LOG.info("The CA suggests renewing {} between {} and {}{}", entry.request.domain(), suggested.start(),
                    suggested.end(), suggested.explanation() == null ? "" : "; see " + suggested.explanation());
        }
        return Optional.of(entry.windowTarget);
    }

    private void renew(Managed entry) {
        EnrollmentRequest request = entry.request;
        String domain = request.domain();
        Instant started = clock.instant();
        Optional<IssuedCertificate> previous = Optional.empty();
        try {
            previous = store.loadCertificate(domain);
            notifyListeners(listener -> listener.obtaining(domain));
            X509Certificate replacing = previous.map(IssuedCertificate::leaf).orElse(null);
            IssuedCertificate issued = issuer.obtain(domain, registrationOf(request), responder, replacing);
            store.saveCertificate(issued);
            boolean renewal = previous.isPresent();
            notifyListeners(listener -> listener.obtained(issued, renewal));
            InstallResult result = install(request.httpsBinding(), issued);
            attempts.put(domain, new Attempt(started, null, result));
            entry.failures = 0;
            entry.window = null;
            entry.windowTarget = null;
            entry.nextCheck = nextRegularCheck(issued.metadata(), clock.instant());
        } catch (AutoCertException e) {
            recordFailure(entry, e, previous.map(IssuedCertificate::metadata).orElse(null));
            throw e;
        } catch (RuntimeException e) {
            // a bug here or in a plugin must still back off, never retry in a tight loop
            AutoCertException failure = new AutoCertException("Unexpected failure while obtaining a certificate for "
                    + domain + ": " + e, e);
            recordFailure(entry, failure, previous.map(IssuedCertificate::metadata).orElse(null));
            throw failure;
        }
    }

    private void recordFailure(Managed entry, AutoCertException failure, CertificateMetadata working) {
        String domain = entry.request.domain();
        Instant now = clock.instant();
        entry.failures++;
        Instant next = now.plus(BACKOFF.get(Math.min(entry.failures, BACKOFF.size()) - 1));
        if (failure instanceof CertificateAuthorityException ca && ca.retryAfter().isPresent()
                && ca.retryAfter().get().isAfter(next)) {
            next = ca.retryAfter().get();
        }
        entry.nextCheck = next;
        Attempt previous = attempts.get(domain);
        attempts.put(domain, new Attempt(now, failure.getMessage(), previous == null ? null : previous.installResult()));
        LOG.warn("Could not obtain a certificate for {} (attempt {}); next attempt {}: {}", domain, entry.failures,
                next, failure.getMessage());
        Instant nextAttempt = next;
        notifyListeners(listener -> listener.failed(domain, failure, nextAttempt));
        if (working != null && isExpiringSoon(working, now)) {
            LOG.warn("The certificate for {} expires {} and could not be renewed yet", domain, working.notAfter());
            notifyListeners(listener -> listener.expiringSoon(domain, working.notAfter()));
        }
    }

    /** Past the middle of the renewal window, a failing renewal deserves a person's attention. */
    private boolean isExpiringSoon(CertificateMetadata certificate, Instant now) {
        Instant renewalTime = policy.renewalTime(certificate);
        Instant halfway = renewalTime.plus(Duration.between(renewalTime, certificate.notAfter()).dividedBy(2));
        return !now.isBefore(halfway);
    }

    private Instant nextRegularCheck(CertificateMetadata certificate, Instant now) {
        Duration interval = policy.checkInterval(certificate);
        Duration jitterBound = interval.dividedBy(10).compareTo(MAX_JITTER) < 0 ? interval.dividedBy(10) : MAX_JITTER;
        long jitterMillis = jitterBound.toMillis() <= 0 ? 0 : random.nextLong(jitterBound.toMillis());
        return now.plus(interval).plusMillis(jitterMillis);
    }

    private InstallResult install(Binding httpsBinding, IssuedCertificate issued) {
        InstallResult result;
        try {
            result = bindingProvider.install(httpsBinding, issued);
        } catch (Exception e) {
            throw new AutoCertException("The certificate for " + issued.metadata().domain()
                    + " was obtained and stored, but could not be installed on " + httpsBinding + ": " + e.getMessage(), e);
        }
        if (result == null) {
            throw new AutoCertException("The binding provider " + bindingProvider.getClass().getName()
                    + " returned no install result for " + httpsBinding);
        }
        if (result == InstallResult.RESTART_REQUIRED) {
            LOG.warn("The certificate for {} is installed on {}; the server must restart to serve it",
                    issued.metadata().domain(), httpsBinding);
        } else {
            LOG.info("The certificate for {} is live on {}", issued.metadata().domain(), httpsBinding);
        }
        notifyListeners(listener -> listener.installed(issued, httpsBinding, result));
        return result;
    }

    private void notifyListeners(Consumer<AutoCertListener> event) {
        for (AutoCertListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} threw; ignored", listener.getClass().getName(), e);
            }
        }
    }

    private static Issuer.Registration registrationOf(EnrollmentRequest request) {
        return new Issuer.Registration(request.email(), request.externalAccountKeyId().orElse(null),
                request.externalAccountHmacKey().orElse(null));
    }

    /** The status from the store plus the schedule and the last attempt. Never calls the CA. */
    CertificateStatus status(String domain) {
        CertificateStatus status = store.loadMetadata(domain)
                .map(CertificateStatus::of)
                .orElseGet(() -> CertificateStatus.none(domain));
        Managed entry = managed.get(domain);
        if (entry != null) {
            status = status.withNextCheck(entry.nextCheck).withRenewalWindow(entry.window);
        }
        Attempt attempt = attempts.get(domain);
        if (attempt != null) {
            status = status.withAttempt(attempt.at(), attempt.error()).withInstallResult(attempt.installResult());
        }
        return status;
    }

    /** @return the domains under management */
    List<String> managedDomains() {
        return List.copyOf(managed.keySet());
    }
}
