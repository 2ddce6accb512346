package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.RenewalLock;
import dev.autocert4j.RenewalWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Looks at one enrollment and renews it when it is due: decides by the CA's renewal window or
 * the policy, holds the renewal lock while a certificate is obtained, stores it and installs it.
 * Called with the enrollment's lock held; a failure is thrown for the caller to record.
 */
final class Renewal {

    private static final Logger LOG = LoggerFactory.getLogger(Renewal.class);
    private static final Duration REFUSED_RECHECK = Duration.ofDays(1);

    private final EnrollmentRegistry registry;
    private final StoredCertificates certificates;
    private final Issuance issuance;
    private final Installer installer;
    private final ClusterSync cluster;
    private final CheckSchedule schedule;
    private final EventDispatch events;
    private final Clock clock;
    private final boolean askRenewalInformation;
    private volatile Predicate<String> renewable = name -> true;

    /** @param askRenewalInformation whether to ask the CA for ACME Renewal Information */
    Renewal(EnrollmentRegistry registry, StoredCertificates certificates, Issuance issuance, Installer installer,
            ClusterSync cluster, CheckSchedule schedule, EventDispatch events, Clock clock, boolean askRenewalInformation) {
        this.registry = registry;
        this.certificates = certificates;
        this.issuance = issuance;
        this.installer = installer;
        this.cluster = cluster;
        this.schedule = schedule;
        this.events = events;
        this.clock = clock;
        this.askRenewalInformation = askRenewalInformation;
    }

    /** @param renewable whether a name may still be renewed automatically (asked only when it is due) */
    void renewOnlyWhen(Predicate<String> renewable) {
        this.renewable = renewable;
    }

    void check(ManagedEnrollment entry, Optional<CertificateMetadata> current) {
        Instant now = clock.instant();
        if (entry.pausedUntil() != null) {
            if (entry.isPausedAt(now)) {
                entry.scheduled(entry.pausedUntil());
                return;
            }
            LOG.info("The pause of automatic renewal of {} is over; trying again", entry.name());
            entry.pauseEnded();
        }
        if (current.isPresent() && CheckSchedule.isServable(current.get(), now)
                && !current.get().serialNumber().equals(entry.installedSerial())) {
            // a certificate the host does not serve yet: put there by another process, or an install to retry
            installer.installStored(entry, true);
            entry.recovered();
        }
        if (current.isPresent() && !CheckSchedule.coversEveryName(current.get(), entry.request())) {
            LOG.info("The certificate for {} covers {}, but the enrollment names {}; renewing", entry.name(),
                    current.get().names(), entry.request().names());
            renew(entry, false);
            return;
        }
        if (current.isPresent()) {
            CertificateMetadata metadata = current.get();
            Optional<Instant> suggested = renewalTimeSuggestedByCa(entry, metadata.caDirectory(), now);
            Instant due = schedule.dueAt(metadata, suggested.orElse(null));
            if (now.isBefore(due)) {
                entry.scheduled(schedule.nextCheck(metadata, due, entry.askCaAgainAt(), now));
                LOG.info("Certificate for {} expires {}; not due for renewal until {}{}; next check {}", entry.name(),
                        metadata.notAfter(), due, suggested.isPresent() ? " (the CA's renewal window)" : "",
                        entry.nextCheck());
                return;
            }
        }
        LOG.info("Certificate for {} is {}; renewing", entry.name(), current.map(m -> (now.isBefore(
                CheckSchedule.emergencyTime(m)) ? "due" : "due: a tenth of its lifetime is left") + " (expires "
                + m.notAfter() + ")").orElse("missing"));
        renew(entry, false);
    }

    /**
     * Where the CA offers ACME Renewal Information, its window decides: a random instant inside it,
     * kept while the window stays the same. The CA is asked again when its {@code Retry-After} says
     * (within bounds), not at every check. Without it, or if it cannot be read, the policy decides.
     */
    private Optional<Instant> renewalTimeSuggestedByCa(ManagedEnrollment entry, URI issuedBy, Instant now) {
        if (!askRenewalInformation) {
            return Optional.empty();
        }
        if (entry.askCaAgainAt() != null && now.isBefore(entry.askCaAgainAt())) {
            return Optional.ofNullable(entry.windowTarget());
        }
        Optional<Issuer.RenewalAdvice> advice;
        try {
            advice = issuance.renewalAdvice(issuedBy, () -> certificates.certificate(entry.name())
                    .map(IssuedCertificate::leaf)
                    .orElseThrow(() -> new CertificateStoreException("The certificate for " + entry.name()
                            + " disappeared from the store", null)));
        } catch (AutoCertException e) {
            LOG.warn("Could not read the CA's renewal information for {}; the renewal policy decides: {}",
                    entry.name(), e.getMessage());
            return Optional.empty();
        }
        if (advice.isEmpty()) {
            entry.forgetRenewalInformation();
            return Optional.empty();
        }
        entry.askCaAgainAt(CheckSchedule.askCaAgainAt(advice.get().recheckAt(), now));
        RenewalWindow suggested = advice.get().window();
        if (!suggested.equals(entry.window())) {
            entry.renewalWindowSuggested(suggested, schedule.targetInside(suggested));
            LOG.info("The CA suggests renewing {} between {} and {}{}", entry.name(), suggested.start(),
                    suggested.end(), suggested.explanation() == null ? "" : "; see " + suggested.explanation());
        }
        return Optional.of(entry.windowTarget());
    }

    /**
     * Obtains and installs a new certificate, holding the renewal lock so that servers sharing the
     * store renew it once. Where another server holds the lock, a due renewal waits for the next
     * check (by then that server has stored the new certificate); one asked for ({@code forced})
     * fails and says who holds it. Once the lock is taken the store is read again: a certificate
     * another server stored since this one decided is installed instead of ordering another.
     */
    void renew(ManagedEnrollment entry, boolean forced) {
        renew(entry, forced, entry.installedSerial());
    }

    /** @param decidedOn the serial this server knew of when it decided to renew ({@code null}: none) */
    void renew(ManagedEnrollment entry, boolean forced, String decidedOn) {
        String domain = entry.name();
        if (!forced && !renewable.test(domain)) {
            LOG.warn("The certificate for {} is not renewed: it is no longer allowed; asking again in {}", domain,
                    REFUSED_RECHECK);
            entry.scheduled(clock.instant().plus(REFUSED_RECHECK));
            return;
        }
        if (!forced) {
            cluster.letGoOfEnrollmentsRemovedElsewhere(ClusterSync.RECONCILE_BEFORE_RENEWAL);
            if (!registry.stillManages(entry)) {
                return; // let go: another server stopped managing it
            }
        }
        Optional<RenewalLock.Lease> lease = cluster.tryLock(domain);
        if (lease.isEmpty()) {
            if (!forced) {
                cluster.heldElsewhere(entry);
                return;
            }
            lease = cluster.awaitOtherRenewal(entry, certificates.serial(domain));
            if (lease.isEmpty()) {
                return; // the other server's certificate is installed here
            }
        }
        try (RenewalLock.Lease held = lease.get()) {
            if (!cluster.storedSinceDecided(entry, decidedOn)) {
                obtainAndInstall(entry, held);
            }
        }
    }

    private void obtainAndInstall(ManagedEnrollment entry, RenewalLock.Lease lease) {
        EnrollmentRequest request = entry.request();
        entry.attempted(clock.instant());
        Optional<IssuedCertificate> previous = certificates.certificate(request.domain());
        events.obtaining(request.domain());
        IssuedCertificate issued = issuance.obtain(request, previous.map(IssuedCertificate::leaf).orElse(null),
                previous.map(it -> it.metadata().caDirectory()).orElse(null), lease::confirm, entry::authoritySkipped,
                entry::certificateWarned);
        IssuanceFaultPoint.afterIssuance();
        certificates.store().saveCertificate(issued);
        forgetPendingOrder(request.domain());
        entry.issued();
        events.obtained(issued, previous.isPresent());
        installer.installAndVerify(entry, issued, previous.orElse(null));
        entry.renewed();
        CertificateMetadata metadata = issued.metadata();
        entry.scheduled(schedule.nextCheck(metadata, schedule.dueAt(metadata, null), entry.askCaAgainAt(), clock.instant()));
    }

    /** Its certificate is stored: the order recorded before finalizing is of no more use. */
    private void forgetPendingOrder(String domain) {
        try {
            certificates.store().deletePendingOrder(domain);
        } catch (CertificateStoreException e) {
            LOG.warn("Could not delete the pending order of {} (its certificate is stored): {}", domain, e.getMessage());
        }
    }
}
