package dev.autocert4j.internal.acme;

import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.internal.Sleeper;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.exception.AcmeException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Polls an ACME resource until it reaches a final status. It honours the CA's {@code Retry-After};
 * without one it starts with a short pause that grows, so a fast CA is not made to wait for fixed
 * seconds.
 */
public final class Poller {

    /** Fetches the resource's current state; answers the CA's {@code Retry-After}, if it sent one. */
    @FunctionalInterface
    public interface Fetch {
        /**
         * @return when the CA asked to be polled again, if it said
         * @throws AcmeException if the fetch fails
         */
        Optional<Instant> fetch() throws AcmeException;
    }

    static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(3);

    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration timeout;

    /**
     * Creates a poller.
     *
     * @param clock   the time source
     * @param sleeper how to pause between polls
     * @param timeout how long to poll one resource before giving up
     */
    public Poller(Clock clock, Sleeper sleeper, Duration timeout) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.timeout = timeout;
    }

    /** @return how long one resource is polled before giving up */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Fetches a resource until its status is one of {@code finalStates}.
     *
     * @param resource    fetches the resource, such as {@code challenge::fetch}
     * @param status      reads the status after each fetch
     * @param finalStates the states that end the polling
     * @param description what is polled, for the timeout message (such as "the order for example.com")
     * @return the final status
     * @throws AcmeException                 if a fetch fails
     * @throws CertificateAuthorityException if the timeout passes first
     * @throws InterruptedException          if interrupted while pausing
     */
    public Status await(Fetch resource, Supplier<Status> status, Set<Status> finalStates,
                        String description) throws AcmeException, InterruptedException {
        return poll(resource, status, finalStates, description, false);
    }

    /**
     * Like {@link #await}, for a resource the CA has just answered with (a challenge after it is
     * triggered): its status is looked at first, and the first fetch comes after the first pause,
     * not at once, since the CA has had no time to change it.
     *
     * @param resource    fetches the resource
     * @param status      reads the status, also before the first fetch
     * @param finalStates the states that end the polling
     * @param description what is polled, for the timeout message
     * @return the final status
     * @throws AcmeException                 if a fetch fails
     * @throws CertificateAuthorityException if the timeout passes first
     * @throws InterruptedException          if interrupted while pausing
     */
    public Status awaitJustAnswered(Fetch resource, Supplier<Status> status, Set<Status> finalStates,
                                    String description) throws AcmeException, InterruptedException {
        Status current = status.get();
        if (finalStates.contains(current)) {
            return current;
        }
        return poll(resource, status, finalStates, description, true);
    }

    private Status poll(Fetch resource, Supplier<Status> status, Set<Status> finalStates, String description,
                        boolean pauseFirst) throws AcmeException, InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        Duration pause = FIRST_PAUSE;
        if (pauseFirst) {
            sleeper.sleep(pause);
            pause = grow(pause);
        }
        while (true) {
            Optional<Instant> retryAfter = resource.fetch();
            Status current = status.get();
            if (finalStates.contains(current)) {
                return current;
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new CertificateAuthorityException(description + " is still '" + current.name().toLowerCase(java.util.Locale.ROOT)
                        + "' after " + timeout.toSeconds() + " s; the CA is slow or stuck, try again later",
                        null, null, null);
            }
            sleeper.sleep(nextPause(now, deadline, pause, retryAfter));
            pause = grow(pause);
        }
    }

    private static Duration nextPause(Instant now, Instant deadline, Duration pause, Optional<Instant> retryAfter) {
        Duration wanted = retryAfter.map(at -> Duration.between(now, at))
                .filter(d -> !d.isNegative() && !d.isZero())
                .orElse(pause);
        Duration left = Duration.between(now, deadline);
        return wanted.compareTo(left) > 0 ? left : wanted;
    }

    private static Duration grow(Duration pause) {
        Duration next = pause.multipliedBy(3).dividedBy(2);
        return next.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : next;
    }
}
