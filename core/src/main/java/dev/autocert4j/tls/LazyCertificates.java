package dev.autocert4j.tls;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The bookkeeping of certificates put into an {@link SniKeyManager} without their key: which names
 * each answers (whether loaded now or not), which are loaded and under what alias, and which of
 * those was used least recently, so that at most {@code capacity} stay loaded.
 */
final class LazyCertificates {

    /** A certificate known by its metadata, and how to load it. */
    record Lazy(CertificateMetadata metadata, Supplier<IssuedCertificate> loader) {
        List<String> names() {
            return metadata.names().stream().map(LazyCertificates::normalized).distinct().toList();
        }
    }

    private final int capacity;
    private final Map<String, Lazy> byName = new ConcurrentHashMap<>();
    private final Map<String, Lazy> loadedByAlias = new ConcurrentHashMap<>();
    /** Handshake threads only touch this map, so choosing an alias takes no lock. */
    private final Map<String, Long> lastUsedByAlias = new ConcurrentHashMap<>();

    LazyCertificates(int capacity) {
        this.capacity = capacity;
    }

    void add(Lazy lazy) {
        lazy.names().forEach(name -> byName.put(name, lazy));
    }

    /** The name is no longer answered from here (another certificate took it, or it was removed). */
    void forget(String name) {
        Lazy lazy = byName.remove(name);
        if (lazy != null && !byName.containsValue(lazy)) {
            loadedByAlias.entrySet().removeIf(loaded -> {
                boolean same = loaded.getValue() == lazy;
                if (same) {
                    lastUsedByAlias.remove(loaded.getKey());
                }
                return same;
            });
        }
    }

    /** @return the certificate put lazily for a name: exact, then wildcard */
    Optional<Lazy> find(String name) {
        if (name == null || byName.isEmpty()) {
            return Optional.empty();
        }
        Lazy exact = byName.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        int dot = name.indexOf('.');
        return dot > 0 ? Optional.ofNullable(byName.get("*" + name.substring(dot))) : Optional.empty();
    }

    boolean contains(String name) {
        return byName.containsKey(name);
    }

    Set<String> names() {
        return Set.copyOf(byName.keySet());
    }

    /** The certificate was loaded and is served under an alias. */
    void loaded(String alias, Lazy lazy) {
        loadedByAlias.put(alias, lazy);
        lastUsedByAlias.put(alias, System.nanoTime());
    }

    /** A handshake chose the alias; only aliases loaded from here are tracked. */
    void used(String alias) {
        lastUsedByAlias.computeIfPresent(alias, (a, before) -> System.nanoTime());
    }

    /** @return the least recently used loaded alias, when more than the capacity are loaded */
    Optional<String> overCapacity() {
        if (loadedByAlias.size() <= capacity) {
            return Optional.empty();
        }
        return lastUsedByAlias.entrySet().stream().min(Comparator.comparingLong(Map.Entry::getValue)).map(Map.Entry::getKey);
    }

    /** The alias was let go; its certificate stays known here and is loaded again when asked for. */
    Optional<Lazy> unloaded(String alias) {
        lastUsedByAlias.remove(alias);
        return Optional.ofNullable(loadedByAlias.remove(alias));
    }

    /** @return how many certificates put lazily are loaded now */
    int loadedCount() {
        return loadedByAlias.size();
    }

    static String normalized(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
