package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CheckResult;
import dev.autocert4j.spi.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A pass over the managed enrollments: the scheduled one over those due, and the one asked for
 * over all of them, which reports what it found. Up to the issuance limit of enrollments are
 * looked at at once, by the caller and checker threads kept from one pass to the next; one
 * enrollment failing does not stop the others.
 */
final class CheckPass {

    private static final Logger LOG = LoggerFactory.getLogger(CheckPass.class);
    /** How long a checker thread waits for the next pass before it ends. */
    private static final Duration CHECKER_IDLE = Duration.ofMinutes(5);

    private final EnrollmentRegistry registry;
    private final Renewal renewal;
    private final ClusterSync cluster;
    private final FailureRecorder failures;
    private final StoredCertificates certificates;
    private final CheckSchedule schedule;
    private final Statuses statuses;
    private final Clock clock;
    private final int concurrentIssuance;
    private final ExecutorService checkers;

    /** @param concurrentIssuance how many enrollments are looked at (and certificates obtained) at once, at most */
    CheckPass(EnrollmentRegistry registry, Renewal renewal, ClusterSync cluster, FailureRecorder failures,
              StoredCertificates certificates, CheckSchedule schedule, Statuses statuses, Clock clock,
              int concurrentIssuance) {
        this.registry = registry;
        this.renewal = renewal;
        this.cluster = cluster;
        this.failures = failures;
        this.certificates = certificates;
        this.schedule = schedule;
        this.statuses = statuses;
        this.clock = clock;
        this.concurrentIssuance = concurrentIssuance;
        this.checkers = checkers(concurrentIssuance);
    }

    /**
     * Looks at every managed enrollment now, whatever its schedule and back-off, each once: obtains
     * what is missing and renews what is due, expired or short of a name, as a scheduled check
     * would; a name paused after failed validations stays paused. Waits for work in progress on a
     * name, then looks at it. One failing does not stop the others.
     *
     * @return per enrollment, what was done, why, and its condition afterwards
     */
    CheckResult checkAll() {
        List<ManagedEnrollment> all = registry.all();
        Map<String, CertificateMetadata> metadata = metadataOf(all);
        Queue<ManagedEnrollment> queue = new ConcurrentLinkedQueue<>(all);
        Map<ManagedEnrollment, Optional<CheckResult.Outcome>> outcomes = new ConcurrentHashMap<>();
        Runnable work = () -> {
            ManagedEnrollment entry;
            while ((entry = queue.poll()) != null) {
                outcomes.put(entry, checkAndReport(entry, metadata));
            }
        };
        runOnWorkers(Math.max(1, Math.min(concurrentIssuance, all.size())), work);
        CheckResult.Builder result = CheckResult.builder();
        for (ManagedEnrollment entry : all) {
            Optional<CheckResult.Outcome> outcome = outcomes.get(entry);
            if (outcome == null) {
                result.outcome(CheckOutcomes.interrupted(statuses.status(entry.name(), Optional.empty())));
            } else {
                outcome.ifPresent(result::outcome); // empty: no longer managed
            }
        }
        return result.build();
    }

    /** Checks one enrollment as {@link #checkAll()} does; empty if it stopped being managed meanwhile. */
    private Optional<CheckResult.Outcome> checkAndReport(ManagedEnrollment entry,
                                                         Map<String, CertificateMetadata> prefetched) {
        boolean waited = !entry.tryLock();
        if (waited) {
            entry.lock(); // a renewal in progress: its result is what gets checked
        }
        try {
            if (!registry.stillManages(entry)) {
                return Optional.empty();
            }
            Instant startedAt = clock.instant();
            int obtainedBefore = entry.certificatesObtained();
            AtomicReference<Optional<CertificateMetadata>> before = new AtomicReference<>(Optional.empty());
            AutoCertException failure = null;
            try {
                failures.recording(entry, () -> {
                    before.set(prefetched == null || waited ? certificates.metadata(entry.name())
                            : Optional.ofNullable(prefetched.get(entry.name())));
                    if (before.get().isEmpty()) {
                        Issuance.warnIfTheCaValidatesElsewhere(entry.request());
                    }
                    renewal.check(entry, before.get());
                    if (entry.certificatesObtained() == obtainedBefore && registry.stillManages(entry)) {
                        awaitRenewalElsewhere(entry, before.get());
                    }
                });
            } catch (AutoCertException e) {
                failure = e; // recorded; the other enrollments still get checked
            }
            boolean obtainedHere = entry.certificatesObtained() > obtainedBefore;
            return Optional.of(outcome(entry, startedAt, before.get(), obtainedHere, failure));
        } finally {
            entry.unlock();
        }
    }

    /**
     * Where the check left a certificate due, expired or missing because another server holds its
     * renewal, waits for that server's result, as a renewal asked for does: the check then reports
     * what it stored, or obtains the certificate here if that server gave up.
     */
    private void awaitRenewalElsewhere(ManagedEnrollment entry, Optional<CertificateMetadata> before) {
        Instant now = clock.instant();
        if (cluster.isSingleNode() || entry.isPausedAt(now)) {
            return;
        }
        Optional<CertificateMetadata> stored = certificates.metadata(entry.name());
        if (stored.isPresent() && conditionOf(entry, stored.get(), now) == CheckResult.Condition.VALID) {
            return;
        }
        String serialBefore = before.map(CertificateMetadata::serialNumber).orElse(null);
        if (!cluster.installIfRenewedSince(entry, serialBefore)) {
            renewal.renew(entry, true);
        }
    }

    private CheckResult.Outcome outcome(ManagedEnrollment entry, Instant startedAt, Optional<CertificateMetadata> before,
                                        boolean obtainedHere, AutoCertException failure) {
        Instant now = clock.instant();
        Optional<CertificateMetadata> after;
        String unreadable = null;
        try {
            after = certificates.metadata(entry.name());
        } catch (AutoCertException e) {
            after = Optional.empty();
            unreadable = e.getMessage();
        }
        CheckResult.Condition condition = after.map(metadata -> conditionOf(entry, metadata, now))
                .orElse(CheckResult.Condition.MISSING);
        boolean beforeCovered = before.map(metadata -> CheckSchedule.coversEveryName(metadata, entry.request()))
                .orElse(true);
        CheckOutcomes.Facts facts = new CheckOutcomes.Facts(startedAt, now, before.orElse(null), beforeCovered,
                after.orElse(null), condition, obtainedHere, failure == null ? null : failure.getMessage(), unreadable,
                entry.pausedUntil(), entry.lastError(), cluster.lockHolder(entry.name()), entry.nextCheck());
        return CheckOutcomes.of(statuses.status(entry.name(), after), facts);
    }

    private CheckResult.Condition conditionOf(ManagedEnrollment entry, CertificateMetadata certificate, Instant now) {
        return schedule.condition(certificate, entry.request(), entry.windowTarget(), now);
    }

    /** Looks at every managed enrollment whose time has come; one failing does not stop the others. */
    void checkDue() {
        Instant now = clock.instant();
        cluster.letGoOfEnrollmentsRemovedElsewhere(ClusterSync.RECONCILE_EVERY);
        List<ManagedEnrollment> due = registry.dueAt(now);
        if (due.isEmpty()) {
            return;
        }
        Map<String, CertificateMetadata> metadata = metadataOf(due);
        int workers = Math.min(concurrentIssuance, due.size());
        if (workers == 1) {
            due.forEach(entry -> checkOne(entry, metadata));
            return;
        }
        Queue<ManagedEnrollment> queue = new ConcurrentLinkedQueue<>(due);
        Runnable work = () -> {
            ManagedEnrollment entry;
            while ((entry = queue.poll()) != null) {
                checkOne(entry, metadata);
            }
        };
        runOnWorkers(workers, work);
    }

    /** Lets the checker threads end once the checks they run are done; later passes run on the caller alone. */
    void close() {
        checkers.shutdown();
    }

    /** Runs the work on this thread and {@code workers - 1} of the checkers, and waits for all of them. */
    private void runOnWorkers(int workers, Runnable work) {
        List<Future<?>> helpers = new ArrayList<>();
        for (int i = 1; i < workers; i++) {
            try {
                helpers.add(checkers.submit(work));
            } catch (RejectedExecutionException closed) {
                break; // closed: this thread does the work alone
            }
        }
        work.run();
        for (Future<?> helper : helpers) {
            try {
                helper.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // the helpers finish the checks they started; the rest wait for the next pass
            } catch (ExecutionException e) {
                LOG.error("A check failed unexpectedly; it is checked again later", e.getCause());
            }
        }
    }

    /**
     * The threads that check alongside the caller when several certificates may be obtained at
     * once: made when first needed, kept across passes, ended after a while without work.
     */
    private static ExecutorService checkers(int concurrentIssuance) {
        int helpers = Math.max(1, concurrentIssuance - 1);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(helpers, helpers, CHECKER_IDLE.toSeconds(), TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), NamedThreads.daemon("autocert4j-check"));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private void checkOne(ManagedEnrollment entry, Map<String, CertificateMetadata> metadata) {
        if (!entry.tryLock()) {
            return; // someone works on it right now and schedules it again
        }
        try {
            failures.recording(entry, () -> renewal.check(entry, metadata == null ? certificates.metadata(entry.name())
                    : Optional.ofNullable(metadata.get(entry.name()))));
        } catch (AutoCertException e) {
            // recorded; the other enrollments still get checked
        } catch (RuntimeException e) {
            LOG.error("Checking {} failed unexpectedly; it is checked again later", entry.name(), e);
        } finally {
            entry.unlock();
        }
    }

    /**
     * The metadata of every enrollment of a pass in one call to the store (one query for a database),
     * or {@code null} if there is just one or that fails: then each is read on its own.
     */
    private Map<String, CertificateMetadata> metadataOf(List<ManagedEnrollment> entries) {
        if (entries.size() <= 1) {
            return null;
        }
        return certificates.metadataOfAll(entries.stream().map(ManagedEnrollment::name).toList()).orElse(null);
    }
}
