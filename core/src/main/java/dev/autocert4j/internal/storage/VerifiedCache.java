package dev.autocert4j.internal.storage;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What was verified of each certificate entry, by the storage's version of the entry: while the
 * storage reports the same version, nothing is read or verified again. Any write, also an
 * attacker's, gives the entry a new version, which is then verified before it is used.
 */
final class VerifiedCache {

    private record Verified(String version, CertificateMetadata metadata, IssuedCertificate certificate) {
    }

    private final Map<String, Verified> byKey = new ConcurrentHashMap<>();

    /** @return the verified metadata of the entry at this version, or {@code null} */
    CertificateMetadata metadata(String key, String version) {
        Verified verified = byKey.get(key);
        return verified != null && verified.version().equals(version) ? verified.metadata() : null;
    }

    /** @return the verified certificate of the entry at this version, or {@code null} if only its metadata is known */
    IssuedCertificate certificate(String key, String version) {
        Verified verified = byKey.get(key);
        return verified != null && verified.version().equals(version) ? verified.certificate() : null;
    }

    /** @param certificate the whole certificate, or {@code null} when only the metadata was verified */
    void put(String key, String version, CertificateMetadata metadata, IssuedCertificate certificate) {
        byKey.put(key, new Verified(version, metadata, certificate));
    }

    void forget(String key) {
        byKey.remove(key);
    }
}
