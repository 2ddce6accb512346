package dev.autocert4j.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move forward by hand, so no test waits for real time. Thread-safe. */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /** @param start the initial time */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /** @param duration how far to move forward */
    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** @param instant the new time */
    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("MutableClock is always UTC");
    }
}
