package dev.autocert4j.internal;

import java.time.Duration;

/** Waits for a while; the production one is {@link Thread#sleep}, tests move a clock instead. */
@FunctionalInterface
public interface Sleeper {
    /**
     * Pauses the calling thread.
     *
     * @param duration how long
     * @throws InterruptedException if interrupted
     */
    void sleep(Duration duration) throws InterruptedException;

    /** @return a sleeper that really sleeps */
    static Sleeper threadSleep() {
        return duration -> Thread.sleep(Math.max(1, duration.toMillis()));
    }
}
