package dev.autocert4j.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Wakes up when the next enrollment is to be looked at (at least once a minute, so a clock change
 * or a sleeping machine does not delay renewal by long) and lets the keeper run what is due.
 */
public final class RenewalThread {

    private static final Logger LOG = LoggerFactory.getLogger(RenewalThread.class);
    private static final Duration LONGEST_SLEEP = Duration.ofMinutes(1);
    private static final Duration SHORTEST_SLEEP = Duration.ofSeconds(1);

    private final CertificateKeeper keeper;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private ScheduledFuture<?> next;
    private boolean running;
    private boolean closed;

    /**
     * @param keeper       runs the checks
     * @param clock        the time source
     * @param executor     where checks run
     * @param ownsExecutor whether {@link #stop()} shuts the executor down
     */
    public RenewalThread(CertificateKeeper keeper, Clock clock, ScheduledExecutorService executor, boolean ownsExecutor) {
        this.keeper = keeper;
        this.clock = clock;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
    }

    /**
     * Starts checking; calling it again while running does nothing.
     *
     * @throws IllegalStateException if {@link #stop()} was called
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("This AutoCert is closed; build a new one to start again");
        }
        if (running) {
            return;
        }
        running = true;
        scheduleNext(Duration.ZERO);
    }

    /** Stops checking for good; calling it again does nothing. */
    public synchronized void stop() {
        running = false;
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
        if (ownsExecutor) {
            executor.shutdown();
        }
    }

    /** @return whether {@link #stop()} was called */
    public synchronized boolean isClosed() {
        return closed;
    }

    private synchronized void scheduleNext(Duration delay) {
        if (!running) {
            return;
        }
        try {
            next = executor.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            running = false;
            LOG.error("The renewal executor refused the next check; renewal has stopped. Was it shut down?", e);
        }
    }

    private void tick() {
        try {
            keeper.checkDue();
        } catch (RuntimeException | Error e) {
            LOG.error("Renewal check failed unexpectedly; it runs again later", e);
        } finally {
            scheduleNext(untilNextCheck());
        }
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
