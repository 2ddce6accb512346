package dev.autocert4j.tls;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What a {@link SniKeyManager} serves for each name: the certificates put (one per key type), those
 * put lazily (loaded at their first handshake, the least used let go beyond capacity), the names
 * expected (a temporary certificate until theirs comes), and the default name. Names are normalized
 * by the caller. Thread-safe; finding a certificate takes no lock.
 */
final class CertificateTable {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateTable.class);
    private static final String NO_NAME = "(no name)";

    private final ServedAliases aliases;
    private final LazyCertificates lazy;
    private final Map<String, List<ServedCertificate>> byName = new ConcurrentHashMap<>();
    private final Set<String> expected = ConcurrentHashMap.newKeySet();
    private final Map<String, ServedCertificate> temporary = new ConcurrentHashMap<>();
    private volatile String defaultName;

    CertificateTable(ServedAliases aliases, int loadedCapacity) {
        this.aliases = aliases;
        this.lazy = new LazyCertificates(loadedCapacity);
    }

    /** Serves a certificate for its names, in place of those of its key type. */
    ServedCertificate put(IssuedCertificate certificate, List<String> names) {
        String keyAlgorithm = certificate.privateKey().getAlgorithm();
        ServedCertificate served = aliases.register(certificate);
        for (String name : names) {
            byName.compute(name, (n, current) -> replacing(current, keyAlgorithm, served));
            stopExpecting(name);
        }
        if (defaultName == null) {
            defaultName = names.get(0);
        }
        aliases.purgeRetired();
        return served;
    }

    private List<ServedCertificate> replacing(List<ServedCertificate> current, String keyAlgorithm, ServedCertificate served) {
        List<ServedCertificate> updated = new ArrayList<>();
        if (current != null) {
            for (ServedCertificate other : current) {
                if (other.keyAlgorithm().equals(keyAlgorithm)) {
                    aliases.retire(other);
                } else {
                    updated.add(other);
                }
            }
        }
        updated.add(served);
        return List.copyOf(updated);
    }

    /** Answers for a stored certificate's names; it is loaded at the first handshake that asks. */
    void putLazily(CertificateMetadata metadata, Supplier<IssuedCertificate> loader) {
        LazyCertificates.Lazy entry = new LazyCertificates.Lazy(metadata, loader);
        for (String name : entry.names()) {
            lazy.forget(name);
            List<ServedCertificate> current = byName.remove(name);
            if (current != null) {
                current.forEach(aliases::retire);
            }
            stopExpecting(name);
        }
        lazy.add(entry);
        if (defaultName == null) {
            defaultName = entry.names().get(0);
        }
    }

    /** Forgets a name put lazily before (a certificate put for it now replaces that). */
    void forgetLazy(String name) {
        lazy.forget(name);
    }

    private void stopExpecting(String name) {
        expected.remove(name);
        ServedCertificate placeholder = temporary.remove(name);
        if (placeholder != null) {
            aliases.retire(placeholder);
        }
    }

    /** @return whether a certificate was served for the name, loaded or not */
    boolean remove(String name) {
        List<ServedCertificate> removed = byName.remove(name);
        if (removed != null) {
            removed.forEach(aliases::retire);
        }
        expected.remove(name);
        boolean wasLazy = lazy.contains(name);
        lazy.forget(name);
        return removed != null || wasLazy;
    }

    void expect(String name) {
        if (!byName.containsKey(name) && !lazy.contains(name)) {
            expected.add(name);
        }
    }

    void defaultName(String name) {
        this.defaultName = name;
    }

    Set<String> names() {
        Set<String> names = new HashSet<>(byName.keySet());
        names.addAll(lazy.names());
        return Set.copyOf(names);
    }

    /** @return the aliases of the certificates served now of a key type */
    String[] aliasesOfType(String keyType) {
        return byName.values().stream().flatMap(List::stream)
                .filter(served -> served.matches(keyType)).map(ServedCertificate::alias).distinct().toArray(String[]::new);
    }

    /** A handshake chose this alias: a lazily loaded certificate was used. */
    void used(String alias) {
        lazy.used(alias);
    }

    /** @return whether the name has a certificate of its own (exact, wildcard or lazily put) or is expected */
    boolean knows(String name) {
        if (byName.containsKey(name) || lazy.find(name).isPresent() || expected.contains(name)) {
            return true;
        }
        int dot = name.indexOf('.');
        return dot > 0 && byName.containsKey("*" + name.substring(dot));
    }

    /** The real certificate for a name (null: no SNI): exact, then wildcard, then the default name's. */
    ServedCertificate find(String name, String keyType) {
        if (name != null) {
            ServedCertificate exact = ServedCertificate.ofType(byName.get(name), keyType);
            if (exact != null) {
                return exact;
            }
            int dot = name.indexOf('.');
            if (dot > 0) {
                ServedCertificate wildcard = ServedCertificate.ofType(byName.get("*" + name.substring(dot)), keyType);
                if (wildcard != null) {
                    return wildcard;
                }
            }
            Optional<LazyCertificates.Lazy> notLoaded = lazy.find(name);
            if (notLoaded.isPresent()) {
                return ServedCertificate.ofType(load(notLoaded.get()), keyType);
            }
            if (expected.contains(name)) {
                return null; // its own temporary certificate, rather than another name's real one
            }
        }
        String fallback = defaultName;
        if (fallback == null) {
            return null;
        }
        ServedCertificate byDefault = ServedCertificate.ofType(byName.get(fallback), keyType);
        return byDefault != null ? byDefault
                : lazy.find(fallback).map(entry -> ServedCertificate.ofType(load(entry), keyType)).orElse(null);
    }

    /** Loads a lazily put certificate (once, whichever handshake asks first), and lets go of the least used beyond capacity. */
    private List<ServedCertificate> load(LazyCertificates.Lazy entry) {
        synchronized (entry) {
            List<ServedCertificate> already = byName.get(entry.names().get(0));
            if (already != null && already.stream().anyMatch(served -> served.certificate().metadata().serialNumber()
                    .equals(entry.metadata().serialNumber()))) {
                return already;
            }
            IssuedCertificate certificate;
            try {
                certificate = entry.loader().get();
            } catch (RuntimeException e) {
                LOG.warn("Could not load the certificate for {}: {}", entry.names(), e.toString());
                return null;
            }
            ServedCertificate served = put(certificate, SniKeyManager.namesOf(certificate));
            lazy.loaded(served.alias(), entry);
            LOG.debug("Loaded the certificate for {} at its first handshake", entry.names());
            letGoBeyondCapacity();
            return byName.get(entry.names().get(0));
        }
    }

    private void letGoBeyondCapacity() {
        synchronized (lazy) {
            Optional<String> leastUsed;
            while ((leastUsed = lazy.overCapacity()).isPresent()) {
                String alias = leastUsed.get();
                lazy.unloaded(alias).ifPresent(entry -> entry.names().forEach(name ->
                        byName.computeIfPresent(name, (n, list) -> {
                            List<ServedCertificate> kept = list.stream().filter(s -> !s.alias().equals(alias)).toList();
                            return kept.isEmpty() ? null : kept;
                        })));
                ServedCertificate served = aliases.get(alias);
                if (served != null) {
                    aliases.retire(served);
                }
            }
        }
    }

    /**
     * A temporary certificate: for an expected name, its own; while nothing at all is installed,
     * one without a name. Never one per unknown name, so that clients cannot make it mint them.
     */
    ServedCertificate temporaryFor(String requested, String keyType) {
        if (keyType != null && !keyType.equals("EC")) {
            return null; // temporary certificates are EC; the client may accept that on the next call
        }
        String name;
        if (requested != null && expected.contains(requested)) {
            name = requested;
        } else if (byName.isEmpty()) {
            name = NO_NAME;
        } else {
            return null;
        }
        return temporary.computeIfAbsent(name, n -> {
            LOG.info("No certificate yet for {}; serving a temporary self-signed one until it is obtained", n);
            return aliases.register(n.equals(NO_NAME) ? IssuedCertificate.temporary() : IssuedCertificate.temporary(n));
        });
    }
}
