package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Records a failure once, where the operation that met it began: the enrollment's state as the
 * failure policy judges it, a log line, the listeners, and a warning when the working certificate
 * is getting close to expiry. Called with the enrollment's lock held.
 */
final class FailureRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(FailureRecorder.class);

    private final FailurePolicy policy;
    private final CheckSchedule schedule;
    private final StoredCertificates certificates;
    private final EventDispatch events;
    private final Clock clock;

    FailureRecorder(FailurePolicy policy, CheckSchedule schedule, StoredCertificates certificates, EventDispatch events,
                    Clock clock) {
        this.policy = policy;
        this.schedule = schedule;
        this.certificates = certificates;
        this.events = events;
        this.clock = clock;
    }

    /** Runs an operation and records its failure, once, before passing it on as an {@link AutoCertException}. */
    void recording(ManagedEnrollment entry, Runnable operation) {
        try {
            operation.run();
        } catch (AutoCertException e) {
            record(entry, e);
            throw e;
        } catch (RuntimeException e) {
            // a bug here or in a plugin must still back off, never retry in a tight loop
            AutoCertException failure = new AutoCertException("Unexpected failure while keeping the certificate for "
                    + entry.name() + " valid: " + e, e);
            record(entry, failure);
            throw failure;
        }
    }

    private void record(ManagedEnrollment entry, AutoCertException failure) {
        String domain = entry.name();
        Instant now = clock.instant();
        Optional<Instant> heldBackUntil = FailurePolicy.heldBackUntil(failure, now);
        if (heldBackUntil.isPresent()) {
            entry.heldBack(heldBackUntil.get(), failure.getMessage());
            LOG.info("Certificate for {}: {}", domain, failure.getMessage());
            return;
        }
        FailurePolicy.Verdict verdict = policy.judge(domain, entry.failures(), entry.failedValidations(), failure, now);
        entry.failed(verdict, now);
        LOG.warn("Certificate for {}, attempt {} failed; next attempt {}: {}", domain, verdict.failures(),
                verdict.nextAttempt(), verdict.message());
        events.failed(domain, failure, verdict.nextAttempt());
        certificates.metadataIfReadable(domain).filter(working -> schedule.isExpiringSoon(working, now))
                .ifPresent(working -> {
                    LOG.warn("The certificate for {} expires {} and could not be renewed yet", domain, working.notAfter());
                    events.expiringSoon(domain, working.notAfter());
                });
    }
}
