package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.RenewalLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What servers sharing one store do so that each name is renewed once and served by all: the
 * renewal lock, waiting for or installing what another server stored, and letting go of names
 * another server stopped managing. On one node (the store's lock is the local one, the store keeps
 * no enrollments) each of these comes down to nothing.
 */
final class ClusterSync {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSync.class);

    /** How often the stored enrollments are compared with the managed ones at the checks, at most. */
    static final Duration RECONCILE_EVERY = Duration.ofHours(1);
    /** ... and how recent that comparison must be before an automatic renewal. */
    static final Duration RECONCILE_BEFORE_RENEWAL = Duration.ofMinutes(1);
    /** How often a renewal asked for looks whether the server renewing the certificate has finished. */
    static final Duration WAIT_FOR_OTHER_SERVER_STEP = Duration.ofSeconds(1);
    /** How long a renewal asked for waits for another server renewing the same certificate. */
    static final Duration LONGEST_WAIT_FOR_OTHER_SERVER = Duration.ofMinutes(10);

    private final RenewalLock lock;
    private final CertificateStore store;
    private final EnrollmentRegistry registry;
    private final Installer installer;
    private final CheckSchedule schedule;
    private final Clock clock;
    private final Sleeper sleeper;
    /** When the stored enrollments were last compared with the managed ones (nothing was managed before this keeper). */
    private volatile Instant reconciledAt;

    /**
     * @param lock    the store's renewal lock ({@link RenewalLock#local()} on one node)
     * @param sleeper waits while another server renews a certificate asked for here
     */
    ClusterSync(RenewalLock lock, CertificateStore store, EnrollmentRegistry registry, Installer installer,
                CheckSchedule schedule, Clock clock, Sleeper sleeper) {
        this.lock = lock;
        this.store = store;
        this.registry = registry;
        this.installer = installer;
        this.schedule = schedule;
        this.clock = clock;
        this.sleeper = sleeper;
        this.reconciledAt = clock.instant();
    }

    /** @return whether no other server shares the renewal lock */
    boolean isSingleNode() {
        return lock == RenewalLock.local();
    }

    /** @return the lease on a name's renewal, or empty if another server holds it */
    Optional<RenewalLock.Lease> tryLock(String domain) {
        return lock.tryLock(domain);
    }

    static RenewalLock renewalLockOf(CertificateStore store) {
        try {
            return store.renewalLock().orElse(RenewalLock.local());
        } catch (RuntimeException e) {
            throw new CertificateStoreException("The certificate store " + store.getClass().getName()
                    + " failed to give its renewal lock: " + e, e);
        }
    }

    /**
     * Lets go of the managed enrollments that were kept in the store and are gone from it, so that a
     * name another server of a cluster stopped managing is not renewed here. It reads every stored
     * enrollment, so at most once per {@code maxAge}: once an hour at the checks, and again within
     * a minute before a renewal. An enrollment being worked on elsewhere is left for the next time; if
     * the store cannot list its enrollments, none is let go.
     */
    void letGoOfEnrollmentsRemovedElsewhere(Duration maxAge) {
        Instant now = clock.instant();
        if (now.isBefore(reconciledAt.plus(maxAge)) || !store.keepsEnrollments()
                || registry.all().stream().noneMatch(ManagedEnrollment::keptInStore)) {
            return;
        }
        reconciledAt = now;
        try {
            Set<String> stored = store.enrollmentNames();
            List<ManagedEnrollment> gone = registry.all().stream()
                    .filter(entry -> entry.keptInStore() && !stored.contains(entry.name())).toList();
            if (!gone.isEmpty()) {
                removeStillMissing(gone);
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not list the stored enrollments; none is let go", e);
        }
    }

    /** Removes enrollments not in the store, each under its lock and after reading the store again. */
    private void removeStillMissing(List<ManagedEnrollment> gone) {
        List<ManagedEnrollment> locked = gone.stream().filter(entry -> entry.tryLock()).toList();
        try {
            Set<String> stored = store.enrollmentNames(); // a save here holds the lock: none since this read
            for (ManagedEnrollment entry : locked) {
                if (!stored.contains(entry.name()) && registry.remove(entry)) {
                    letGo(entry);
                }
            }
        } finally {
            locked.forEach(ManagedEnrollment::unlock);
        }
    }

    /** An enrollment gone from the store: its certificate is taken off too if it was deleted with it. */
    private void letGo(ManagedEnrollment entry) {
        boolean deleted;
        try {
            deleted = store.loadMetadata(entry.name()).isEmpty();
        } catch (RuntimeException e) {
            deleted = false; // unreadable is not deleted: keep serving what works
        }
        LOG.info("The enrollment of {} is no longer in the store (another server stopped managing it); it is not"
                + " renewed here{}", entry.name(), deleted ? ", and its certificate, deleted with it, is no longer served"
                : "; its stored certificate keeps being served until replaced or expired");
        if (deleted) {
            installer.uninstall(entry);
        }
    }

    /** Who holds the renewal lock, for the status; a status is shown even when that cannot be known. */
    RenewalLock.Holder lockHolder(String domain) {
        if (isSingleNode()) {
            return null;
        }
        try {
            return lock.holder(domain).orElse(null);
        } catch (RuntimeException e) {
            LOG.debug("Could not read who holds the renewal lock of {}: {}", domain, e.toString());
            return null;
        }
    }

    /**
     * A renewal asked for (an enrollment, "renew now") while another server renews the same
     * certificate: its result is the answer. Waits until that server stores a certificate (then
     * installed here, no lease returned) or gives the lock up without one (then the lease is this
     * server's), for at most {@link #LONGEST_WAIT_FOR_OTHER_SERVER}.
     */
    Optional<RenewalLock.Lease> awaitOtherRenewal(ManagedEnrollment entry, String serialBefore) {
        String domain = entry.name();
        Instant giveUp = clock.instant().plus(LONGEST_WAIT_FOR_OTHER_SERVER);
        LOG.info("The certificate for {} is being renewed by {}; waiting for it", domain,
                lock.holder(domain).map(RenewalLock.Holder::toString).orElse("another server"));
        while (true) {
            try {
                sleeper.sleep(WAIT_FOR_OTHER_SERVER_STEP);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AutoCertException("Interrupted while waiting for another server to renew " + domain, e);
            }
            if (installIfRenewedSince(entry, serialBefore)) {
                return Optional.empty();
            }
            Optional<RenewalLock.Lease> lease = lock.tryLock(domain);
            if (lease.isPresent()) {
                return lease;
            }
            if (!clock.instant().isBefore(giveUp)) {
                throw new AutoCertException("The certificate for " + domain + " is still being renewed by "
                        + lock.holder(domain).map(RenewalLock.Holder::toString).orElse("another server") + " after "
                        + LONGEST_WAIT_FOR_OTHER_SERVER.toMinutes() + " minutes; try again later", null);
            }
        }
    }

    /** Installs the stored certificate if another server stored one since {@code serialBefore}. */
    boolean installIfRenewedSince(ManagedEnrollment entry, String serialBefore) {
        Optional<CertificateMetadata> stored = store.loadMetadata(entry.name());
        if (stored.isEmpty() || stored.get().serialNumber().equals(serialBefore)
                || !CheckSchedule.isServable(stored.get(), clock.instant())
                || !CheckSchedule.coversEveryName(stored.get(), entry.request())) {
            return false;
        }
        LOG.info("Another server renewed the certificate for {} (serial {}); installing it", entry.name(),
                stored.get().serialNumber());
        installer.installStored(entry, true);
        entry.renewed();
        return true;
    }

    /**
     * Another server renews: look again when its lease would run out if it crashed, or in a
     * minute, whichever is sooner (its certificate is installed here as soon as it is stored).
     */
    void heldElsewhere(ManagedEnrollment entry) {
        Optional<RenewalLock.Holder> holder = lock.holder(entry.name());
        Instant recheck = CheckSchedule.whileHeldElsewhere(holder, clock.instant());
        entry.scheduled(recheck);
        LOG.info("The certificate for {} is being renewed by {}; checking again at {}", entry.name(),
                holder.map(RenewalLock.Holder::toString).orElse("another server"), recheck);
    }

    /**
     * Read again under the lease: whether another server stored a certificate since this one decided
     * to renew (one it started before, or waited for). Such a certificate, valid and not due, is
     * installed instead of ordering another.
     */
    boolean storedSinceDecided(ManagedEnrollment entry, String decidedOn) {
        if (isSingleNode()) {
            return false;
        }
        Optional<CertificateMetadata> stored = store.loadMetadata(entry.name());
        return stored.isPresent() && !schedule.isDue(stored.get(), clock.instant())
                && installIfRenewedSince(entry, decidedOn);
    }
}
