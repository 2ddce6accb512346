package dev.autocert4j.internal.storage;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What was verified of each certificate entry, by the storage's version of the entry: while the
 * storage reports the same version, nothing is read or verified again. Any write, also an
 * attacker's, gives the entry a new version, which is then verified before it is used. The
 * metadata of every entry is kept; whole certificates (with their private key) only for the
 * {@code keyCapacity} used most recently, so that 100,000 certificates loaded one handshake at a
 * time do not all stay in memory: the others are read and decrypted again when next asked for.
 */
final class VerifiedCache {

    /** As many as the SNI key manager keeps loaded by default. */
    static final int DEFAULT_KEY_CAPACITY = 1_000;

    private record Verified(String version, CertificateMetadata metadata, IssuedCertificate certificate) {
    }

    private final Map<String, Verified> byKey = new ConcurrentHashMap<>();
    private final int keyCapacity;
    /** The keys whose whole certificate is kept, least recently used first; guarded by itself. */
    private final LinkedHashMap<String, Boolean> withKey = new LinkedHashMap<>(16, 0.75f, true);

    VerifiedCache() {
        this(DEFAULT_KEY_CAPACITY);
    }

    VerifiedCache(int keyCapacity) {
        this.keyCapacity = keyCapacity;
    }

    /** @return the verified metadata of the entry at this version, or {@code null} */
    CertificateMetadata metadata(String key, String version) {
        Verified verified = byKey.get(key);
        return verified != null && verified.version().equals(version) ? verified.metadata() : null;
    }

    /** @return whether anything of the entry was verified, at any version */
    boolean knows(String key) {
        return byKey.containsKey(key);
    }

    /** @return the verified certificate of the entry at this version, or {@code null} if only its metadata is kept */
    IssuedCertificate certificate(String key, String version) {
        Verified verified = byKey.get(key);
        if (verified == null || !verified.version().equals(version) || verified.certificate() == null) {
            return null;
        }
        synchronized (withKey) {
            withKey.get(key); // most recently used
        }
        return verified.certificate();
    }

    /** @param certificate the whole certificate, or {@code null} when only the metadata was verified */
    void put(String key, String version, CertificateMetadata metadata, IssuedCertificate certificate) {
        byKey.put(key, new Verified(version, metadata, certificate));
        synchronized (withKey) {
            if (certificate == null) {
                withKey.remove(key);
                return;
            }
            withKey.put(key, Boolean.TRUE);
            while (withKey.size() > keyCapacity) {
                String eldest = withKey.keySet().iterator().next();
                withKey.remove(eldest);
                byKey.computeIfPresent(eldest, (k, kept) -> new Verified(kept.version(), kept.metadata(), null));
            }
        }
    }

    void forget(String key) {
        byKey.remove(key);
        synchronized (withKey) {
            withKey.remove(key);
        }
    }

    /** @return how many whole certificates are kept */
    int certificatesKept() {
        synchronized (withKey) {
            return withKey.size();
        }
    }
}
