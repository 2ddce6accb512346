package dev.autocert4j.admin;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down guessing the admin token: each failed login locks its client address out for a
 * window that doubles with every further failure ({@value #FIRST_LOCK_SECONDS} s, then 2 s, 4 s, …
 * up to {@value #MAX_LOCK_SECONDS} s); a login from a locked address is answered "try again in
 * N s" without looking at the token. Time comes from the clock, nothing waits. At most
 * {@value #MAX_ADDRESSES} addresses are remembered: when full, one whose lock has run out is
 * forgotten first, else the one seen least recently. The token's 256 random bits, not this
 * delay, are what keeps an attacker with many addresses out.
 */
final class LoginThrottle {

    static final int MAX_ADDRESSES = 4096;
    static final long FIRST_LOCK_SECONDS = 1;
    static final long MAX_LOCK_SECONDS = 300;
    /** A record of failures this old, its lock run out, is forgotten: a later typo starts again at 1 s. */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    private record Failures(int count, Instant lastFailure, Instant lockedUntil) {
    }

    private final Clock clock;
    private final Map<InetAddress, Failures> failures = new LinkedHashMap<>(16, 0.75f, true);

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** @return how long the address must still wait before its next try, if it is locked out */
    synchronized Optional<Duration> lockedFor(InetAddress address) {
        Failures record = failures.get(address);
        Instant now = clock.instant();
        if (record == null || !now.isBefore(record.lockedUntil())) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, record.lockedUntil()));
    }

    /** Counts a wrong token from the address and locks it out for the next window. */
    synchronized void failed(InetAddress address) {
        Instant now = clock.instant();
        Failures previous = failures.get(address);
        int count = previous == null || isForgettable(previous, now) ? 1 : previous.count() + 1;
        failures.put(address, new Failures(count, now, now.plus(lockFor(count))));
        while (failures.size() > MAX_ADDRESSES) {
            forgetOne(now);
        }
    }

    /** Forgets the address's failures after a successful login. */
    synchronized void succeeded(InetAddress address) {
        failures.remove(address);
    }

    /** @return how many addresses are remembered */
    synchronized int size() {
        return failures.size();
    }

    static Duration lockFor(int failureCount) {
        long seconds = failureCount >= 20 ? MAX_LOCK_SECONDS
                : Math.min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS << (failureCount - 1));
        return Duration.ofSeconds(seconds);
    }

    private void forgetOne(Instant now) {
        Iterator<Failures> oldestFirst = failures.values().iterator();
        while (oldestFirst.hasNext()) {
            if (!now.isBefore(oldestFirst.next().lockedUntil())) {
                oldestFirst.remove();
                return;
            }
        }
        Iterator<Failures> eldest = failures.values().iterator();
        eldest.next();
        eldest.remove();
    }

    private static boolean isForgettable(Failures record, Instant now) {
        return !now.isBefore(record.lockedUntil()) && !now.isBefore(record.lastFailure().plus(FORGET_AFTER));
    }
}
