package dev.autocert4j.testkit;

import dev.autocert4j.spi.Storage;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link Storage} in memory, for tests and as the smallest example of the contract: a sorted map
 * of keys to values, each with a version from a counter. It passes {@link StorageContract}.
 * Thread-safe (every method holds the storage's monitor).
 */
public final class InMemoryStorage implements Storage {

    private record Stored(byte[] bytes, String version, Instant modified) {
    }

    private final TreeMap<String, Stored> values = new TreeMap<>();
    private final Clock clock;
    private long writes;

    /** Makes an empty storage whose values are stamped by the system clock. */
    public InMemoryStorage() {
        this(Clock.systemUTC());
    }

    /** @param clock what stamps the values' time of writing */
    public InMemoryStorage(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized Optional<Value> get(String key) {
        Stored stored = values.get(Storage.requireValidKey(key));
        return stored == null ? Optional.empty() : Optional.of(new Value(stored.bytes(), stored.version()));
    }

    @Override
    public synchronized String put(String key, byte[] value) {
        Storage.requireValidKey(key);
        Objects.requireNonNull(value, "value");
        String version = Long.toString(++writes);
        values.put(key, new Stored(value.clone(), version, clock.instant()));
        return version;
    }

    @Override
    public synchronized Optional<String> putIfAbsent(String key, byte[] value) {
        if (values.containsKey(Storage.requireValidKey(key))) {
            return Optional.empty();
        }
        return Optional.of(put(key, value));
    }

    @Override
    public synchronized Optional<String> putIfUnchanged(String key, byte[] value, String expectedVersion) {
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        Stored stored = values.get(Storage.requireValidKey(key));
        if (stored == null || !stored.version().equals(expectedVersion)) {
            return Optional.empty();
        }
        return Optional.of(put(key, value));
    }

    @Override
    public synchronized boolean delete(String key) {
        return values.remove(Storage.requireValidKey(key)) != null;
    }

    @Override
    public synchronized List<String> list(String prefix) {
        Storage.requireValidPrefix(prefix);
        return values.tailMap(prefix, true).keySet().stream().takeWhile(key -> key.startsWith(prefix)).toList();
    }

    @Override
    public synchronized Optional<Stat> stat(String key) {
        Stored stored = values.get(Storage.requireValidKey(key));
        return stored == null ? Optional.empty()
                : Optional.of(new Stat(stored.bytes().length, stored.version(), stored.modified()));
    }

    /** @return a copy of every key and value, for tests that look at what was written */
    public synchronized Map<String, byte[]> snapshot() {
        Map<String, byte[]> copy = new TreeMap<>();
        values.forEach((key, stored) -> copy.put(key, stored.bytes().clone()));
        return copy;
    }

    @Override
    public String toString() {
        return "InMemoryStorage";
    }
}
