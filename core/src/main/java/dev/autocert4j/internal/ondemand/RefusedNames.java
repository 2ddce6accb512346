package dev.autocert4j.internal.ondemand;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names refused or failed lately, each for a while, so that a storm of handshakes for one does
 * not ask the guard or the CA again and again. Bounded: beyond its size the oldest is forgotten.
 * Time comes from the injected clock. Thread-safe.
 */
final class RefusedNames {

    private final Clock clock;
    private final Duration memory;
    private final int size;
    private final Map<String, Instant> until = new LinkedHashMap<>();

    RefusedNames(Clock clock, Duration memory, int size) {
        this.clock = clock;
        this.memory = memory;
        this.size = size;
    }

    /** Refuses the name until the memory has passed. */
    synchronized void remember(String name) {
        until.remove(name);
        until.put(name, clock.instant().plus(memory));
        Iterator<String> oldest = until.keySet().iterator();
        while (until.size() > size) {
            oldest.next();
            oldest.remove();
        }
    }

    /** @return whether the name was refused or failed within the memory */
    synchronized boolean contains(String name) {
        Instant end = until.get(name);
        if (end == null) {
            return false;
        }
        if (!clock.instant().isBefore(end)) {
            until.remove(name);
            return false;
        }
        return true;
    }
}
