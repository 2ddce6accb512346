package dev.autocert4j;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Wakes up when the next check is due (at least once a minute, so a clock change or a sleeping
 * laptop does not delay renewal by long) and lets the keeper run the checks that are due.
 */
final class RenewalThread {

    private static final Logger LOG = LoggerFactory.getLogger(RenewalThread.class);
    private static final Duration LONGEST_SLEEP = Duration.ofMinutes(1);
    private static final Duration SHORTEST_SLEEP = Duration.ofSeconds(1);

    private final CertificateKeeper keeper;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private ScheduledFuture<?> next;
    private boolean running;

    RenewalThread(CertificateKeeper keeper, Clock clock, ScheduledExecutorService executor, boolean ownsExecutor) {
        this.keeper = keeper;
        this.clock = clock;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        scheduleNext(Duration.ZERO);
    }

    synchronized void stop() {
        running = false;
        if (next != null) {
            next.cancel(false);
        }
        if (ownsExecutor) {
            executor.shutdown();
        }
    }

    private synchronized void scheduleNext(Duration delay) {
        if (running) {
            next = executor.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        try {
            keeper.checkDue();
        } catch (RuntimeException e) {
            LOG.warn("Renewal check failed unexpectedly; it runs again later", e);
        }
        scheduleNext(untilNextCheck());
    }

    private Duration untilNextCheck() {
        Instant now = clock.instant();
        Duration wait = keeper.earliestCheck().map(at -> Duration.between(now, at)).orElse(LONGEST_SLEEP);
        if (wait.compareTo(SHORTEST_SLEEP) < 0) {
            return SHORTEST_SLEEP;
        }
        return wait.compareTo(LONGEST_SLEEP) > 0 ? LONGEST_SLEEP : wait;
    }
}
