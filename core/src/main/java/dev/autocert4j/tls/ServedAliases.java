package dev.autocert4j.tls;

import dev.autocert4j.IssuedCertificate;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every certificate a handshake may refer to by alias: those served now, and those replaced
 * recently enough that a handshake which chose one may still ask for its key.
 */
final class ServedAliases {

    private static final String ALIAS_PREFIX = "autocert4j-";
    private static final long RETIRED_KEPT_NANOS = Duration.ofMinutes(10).toNanos();

    private final Map<String, ServedCertificate> byAlias = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    /** Gives a certificate a new alias, and answers for it. */
    ServedCertificate register(IssuedCertificate certificate) {
        ServedCertificate served = ServedCertificate.of(ALIAS_PREFIX + generation.incrementAndGet(), certificate);
        byAlias.put(served.alias(), served);
        return served;
    }

    /** Marks a certificate replaced; its alias still answers for a while. */
    void retire(ServedCertificate served) {
        byAlias.put(served.alias(), served.retired());
    }

    ServedCertificate get(String alias) {
        return alias == null ? null : byAlias.get(alias);
    }

    X509Certificate[] chain(String alias) {
        ServedCertificate served = get(alias);
        return served == null ? null : served.chain().clone();
    }

    PrivateKey privateKey(String alias) {
        ServedCertificate served = get(alias);
        return served == null ? null : served.certificate().privateKey();
    }

    /** Drops certificates replaced long enough ago that no handshake can still be using them. */
    void purgeRetired() {
        long now = System.nanoTime();
        byAlias.values().removeIf(served -> served.isRetired() && now - served.retiredAt() > RETIRED_KEPT_NANOS);
    }
}
