package dev.autocert4j.tls;

import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.internal.TemporaryCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The TLS key manager behind every HTTPS binding autocert4j serves: many certificates on one
 * listener, each chosen by the name the client asks for (SNI). Use {@link #sslContext()} with any
 * server that takes an {@link SSLContext}, and {@link #put} each certificate as it is obtained or
 * renewed: the next handshake gets it, without a restart.
 *
 * <ul>
 *   <li>A handshake gets the certificate for its SNI name: an exact match first, then a wildcard
 *       ({@code *.example.com} for {@code portal.example.com}); without SNI, or for a name nothing
 *       is installed for, the {@linkplain #defaultName(String) default name}'s certificate (the first
 *       one put, unless set).</li>
 *   <li>A name may have certificates of several key types (EC and RSA); each handshake gets one of
 *       a type the client accepts.</li>
 *   <li>Until a name {@linkplain #expect(String) expected} has a real certificate, and while no
 *       certificate is installed at all, a temporary self-signed certificate is served, so the
 *       handshake succeeds and the log says why the browser warns.</li>
 *   <li>A replaced certificate stays usable for handshakes that chose it before the swap
 *       (they fetch the key after choosing), for ten minutes.</li>
 * </ul>
 *
 * <p>Thread-safe; the handshake path takes no lock.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {

    private static final Logger LOG = LoggerFactory.getLogger(SniKeyManager.class);
    private static final String ALIAS_PREFIX = "autocert4j-";
    private static final long RETIRED_KEPT_NANOS = Duration.ofMinutes(10).toNanos();
    private static final String NO_NAME = "(no name)";

    /** One certificate as served: the alias handshakes refer to it by, and when it was replaced. */
    private record Served(String alias, IssuedCertificate certificate, X509Certificate[] chain, String keyAlgorithm,
                          long retiredAt) {
        Served retired() {
            return new Served(alias, certificate, chain, keyAlgorithm, System.nanoTime());
        }

        boolean isRetired() {
            return retiredAt != 0;
        }
    }

    private final Map<String, List<Served>> byName = new ConcurrentHashMap<>();
    private final Map<String, Served> byAlias = new ConcurrentHashMap<>();
    private final Set<String> expected = ConcurrentHashMap.newKeySet();
    private final Map<String, Served> temporary = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private volatile String defaultName;

    /**
     * Starts serving a certificate for every DNS name and IP address on it, in place of any
     * certificate of the same key type those names had.
     *
     * @param certificate the certificate with its private key
     */
    public void put(IssuedCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        String keyAlgorithm = certificate.privateKey().getAlgorithm();
        Served served = new Served(ALIAS_PREFIX + generation.incrementAndGet(), certificate,
                certificate.chain().toArray(new X509Certificate[0]), keyAlgorithm, 0);
        byAlias.put(served.alias(), served);
        List<String> names = namesOf(certificate);
        for (String name : names) {
            byName.compute(name, (n, current) -> {
                List<Served> updated = new ArrayList<>();
                if (current != null) {
                    for (Served other : current) {
                        if (other.keyAlgorithm().equals(keyAlgorithm)) {
                            retire(other);
                        } else {
                            updated.add(other);
                        }
                    }
                }
                updated.add(served);
                return List.copyOf(updated);
            });
            expected.remove(name);
            Served placeholder = temporary.remove(name);
            if (placeholder != null) {
                retire(placeholder);
            }
        }
        if (defaultName == null) {
            defaultName = names.get(0);
        }
        purgeRetired();
    }

    /**
     * Stops serving any certificate for a name. Handshakes for it then get the default certificate.
     *
     * @param name a DNS name or IP address
     * @return whether a certificate was served for it
     */
    public boolean remove(String name) {
        List<Served> removed = byName.remove(normalized(name));
        if (removed != null) {
            removed.forEach(this::retire);
        }
        expected.remove(normalized(name));
        return removed != null;
    }

    /**
     * Says that a certificate for this name is on its way: until it is {@linkplain #put put}, a
     * handshake for the name gets a temporary self-signed certificate for it.
     *
     * @param name a DNS name or IP address
     * @return this key manager
     */
    public SniKeyManager expect(String name) {
        String normalized = normalized(name);
        if (!byName.containsKey(normalized)) {
            expected.add(normalized);
        }
        return this;
    }

    /**
     * Chooses the name whose certificate handshakes without SNI, or for a name nothing is installed
     * for, get. By default, the first name of the first certificate put.
     *
     * @param name a DNS name or IP address
     * @return this key manager
     */
    public SniKeyManager defaultName(String name) {
        this.defaultName = normalized(name);
        return this;
    }

    /**
     * Says which real certificate a handshake asking for this name gets (exact name, then
     * wildcard, then the default), as a client accepting any key type would.
     *
     * @param name the SNI name, or {@code null} for a handshake without SNI
     * @return the certificate, or empty if only a temporary one would be served
     */
    public Optional<IssuedCertificate> certificateFor(String name) {
        return Optional.ofNullable(find(name == null ? null : normalized(name), null)).map(Served::certificate);
    }

    /** @return every name a certificate is served for, in no particular order */
    public Set<String> names() {
        return Set.copyOf(byName.keySet());
    }

    /**
     * Creates a TLS context whose server side serves what this key manager holds at each handshake.
     *
     * @return a new TLS context
     */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[]{this}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot create a TLS context", e);
        }
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        SSLSession session = socket instanceof SSLSocket tls ? tls.getHandshakeSession() : null;
        return choose(keyType, requestedName(session));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, requestedName(engine == null ? null : engine.getHandshakeSession()));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String[] aliases = byName.values().stream().flatMap(List::stream)
                .filter(served -> matches(served, keyType)).map(Served::alias).distinct().toArray(String[]::new);
        return aliases.length == 0 ? null : aliases;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Served served = alias == null ? null : byAlias.get(alias);
        return served == null ? null : served.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Served served = alias == null ? null : byAlias.get(alias);
        return served == null ? null : served.certificate().privateKey();
    }

    /** Client authentication is not supported: this key manager serves server certificates only. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    /** Client authentication is not supported: this key manager serves server certificates only. */
    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    private String choose(String keyType, String requested) {
        Served served = find(requested, keyType);
        if (served == null) {
            served = temporaryFor(requested, keyType);
        }
        return served == null ? null : served.alias();
    }

    /** The real certificate for a name: exact, then wildcard, then the default name's. */
    private Served find(String name, String keyType) {
        if (name != null) {
            Served exact = ofType(byName.get(name), keyType);
            if (exact != null) {
                return exact;
            }
            int dot = name.indexOf('.');
            if (dot > 0) {
                Served wildcard = ofType(byName.get("*" + name.substring(dot)), keyType);
                if (wildcard != null) {
                    return wildcard;
                }
            }
            if (expected.contains(name)) {
                return null; // its own temporary certificate, rather than another name's real one
            }
        }
        String fallback = defaultName;
        return fallback == null ? null : ofType(byName.get(fallback), keyType);
    }

    private static Served ofType(List<Served> candidates, String keyType) {
        if (candidates == null) {
            return null;
        }
        for (Served served : candidates) {
            if (matches(served, keyType)) {
                return served;
            }
        }
        return null;
    }

    private static boolean matches(Served served, String keyType) {
        String algorithm = served.keyAlgorithm();
        return keyType == null || keyType.equals(algorithm) || (keyType.equals("RSASSA-PSS") && algorithm.equals("RSA"));
    }

    /**
     * A temporary certificate: for an expected name, its own; while nothing at all is installed,
     * one without a name. Never one per unknown name, so that clients cannot make it mint them.
     */
    private Served temporaryFor(String requested, String keyType) {
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
            IssuedCertificate placeholder = TemporaryCertificates.selfSigned(n.equals(NO_NAME) ? null : n);
            Served served = new Served(ALIAS_PREFIX + generation.incrementAndGet(), placeholder,
                    placeholder.chain().toArray(new X509Certificate[0]), placeholder.privateKey().getAlgorithm(), 0);
            byAlias.put(served.alias(), served);
            return served;
        });
    }

    private void retire(Served served) {
        byAlias.put(served.alias(), served.retired());
    }

    /** Drops certificates replaced long enough ago that no handshake can still be using them. */
    private void purgeRetired() {
        long now = System.nanoTime();
        byAlias.values().removeIf(served -> served.isRetired() && now - served.retiredAt() > RETIRED_KEPT_NANOS);
    }

    private static String requestedName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                    return normalized(((SNIHostName) name).getAsciiName());
                }
            }
        }
        return null;
    }

    private static List<String> namesOf(IssuedCertificate certificate) {
        return certificate.metadata().names().stream().map(SniKeyManager::normalized).distinct().toList();
    }

    private static String normalized(String name) {
        Objects.requireNonNull(name, "name");
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
