package dev.autocert4j.tls;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.internal.InputChecks;
import dev.autocert4j.internal.TemporaryCertificates;
import dev.autocert4j.internal.TlsAlpnCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

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
 *   <li>It answers TLS-ALPN-01 (RFC 8737) through {@link #tlsAlpn01Responder()}: a handshake that
 *       negotiated the ALPN protocol {@value #ACME_TLS_1} gets the validation certificate of a
 *       pending challenge for its SNI name, and nothing else, not even the real certificate. The
 *       server must offer the protocol ({@link #offeringAcmeTls1(SSLParameters)}); the JDK knows the
 *       negotiated protocol when the certificate is chosen under TLS 1.3, which the CAs' validators
 *       use (a TLS 1.2-only validator would get the normal certificate, and the validation fail).</li>
 * </ul>
 *
 * <p>Thread-safe; the handshake path takes no lock.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {

    private static final Logger LOG = LoggerFactory.getLogger(SniKeyManager.class);
    private static final String ALIAS_PREFIX = "autocert4j-";
    private static final long RETIRED_KEPT_NANOS = Duration.ofMinutes(10).toNanos();
    private static final String NO_NAME = "(no name)";

    /** The ALPN protocol of TLS-ALPN-01 validation handshakes (RFC 8737). */
    public static final String ACME_TLS_1 = "acme-tls/1";

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
    /** Pending TLS-ALPN-01 validation certificates, by the SNI name the validator sends. */
    private final Map<String, Served> validations = new ConcurrentHashMap<>();
    /** The SNI names each pending challenge's token put into {@link #validations}. */
    private final Map<String, List<String>> validationNamesByToken = new ConcurrentHashMap<>();
    private final ChallengeResponder tlsAlpn01Responder = new TlsAlpn01Responder();
    private final LazyCertificates lazy;

    /** How many certificates put lazily stay loaded at once, by default. */
    public static final int DEFAULT_LOADED_CAPACITY = 1_000;

    /** Creates an empty key manager that keeps up to {@value #DEFAULT_LOADED_CAPACITY} lazily put certificates loaded. */
    public SniKeyManager() {
        this(DEFAULT_LOADED_CAPACITY);
    }

    /**
     * Creates an empty key manager.
     *
     * @param loadedCapacity how many certificates {@linkplain #putLazily put lazily} stay loaded at
     *                       once; beyond that, the least recently used is let go (and loaded again
     *                       by the next handshake that asks for it)
     * @since 0.2.0
     */
    public SniKeyManager(int loadedCapacity) {
        if (loadedCapacity < 1) {
            throw new IllegalArgumentException("loadedCapacity must be at least 1");
        }
        this.lazy = new LazyCertificates(loadedCapacity);
    }

    /**
     * Starts serving a certificate for every DNS name and IP address on it, in place of any
     * certificate of the same key type those names had.
     *
     * @param certificate the certificate with its private key
     */
    public void put(IssuedCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        served(certificate).certificate().metadata().names().forEach(name -> lazy.forget(normalized(name)));
    }

    /**
     * Starts answering for a stored certificate's names without loading it: the first handshake
     * that asks for one of them loads it (decrypting its key) through the loader, and it is then
     * served like one {@link #put}. A server with thousands of certificates starts in the time it
     * takes to read their metadata; at most the capacity given to the constructor stay loaded, the
     * least recently used let go first. A loader that fails leaves the handshake without that
     * certificate (the failure is logged) and is tried again at the next one.
     *
     * @param metadata the certificate's names and validity, known without its key
     * @param loader   loads the certificate; called from handshake threads, at most once at a time
     * @since 0.2.0
     */
    public void putLazily(CertificateMetadata metadata, Supplier<IssuedCertificate> loader) {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(loader, "loader");
        LazyCertificates.Lazy entry = new LazyCertificates.Lazy(metadata, loader);
        for (String name : entry.names()) {
            lazy.forget(name);
            List<Served> current = byName.remove(name);
            if (current != null) {
                current.forEach(this::retire);
            }
            expected.remove(name);
            Served placeholder = temporary.remove(name);
            if (placeholder != null) {
                retire(placeholder);
            }
        }
        lazy.add(entry);
        if (defaultName == null) {
            defaultName = entry.names().get(0);
        }
    }

    private Served served(IssuedCertificate certificate) {
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
        return served;
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
        boolean wasLazy = lazy.contains(normalized(name));
        lazy.forget(normalized(name));
        return removed != null || wasLazy;
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
        if (!byName.containsKey(normalized) && !lazy.contains(normalized)) {
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

    /** @return every name a certificate is served for (loaded or not), in no particular order */
    public Set<String> names() {
        Set<String> names = new java.util.HashSet<>(byName.keySet());
        names.addAll(lazy.names());
        return Set.copyOf(names);
    }

    /**
     * Creates a TLS context whose server side serves what this key manager holds at each handshake,
     * under {@link TlsPolicy}: TLS 1.3 and 1.2 with AEAD suites only, in the server's order. A host
     * may set other parameters on the engines it gets.
     *
     * @return a new TLS context
     */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[]{this}, null, null);
            return TlsPolicy.strict(context);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot create a TLS context", e);
        }
    }

    /**
     * Returns what answers TLS-ALPN-01 challenges through this key manager: give it to
     * {@code AutoCert.Builder.challengeResponder(ChallengeType.TLS_ALPN_01, ...)}. Each published
     * challenge puts a validation certificate in place for its name until it is withdrawn.
     *
     * @return the responder
     * @since 0.2.0
     */
    public ChallengeResponder tlsAlpn01Responder() {
        return tlsAlpn01Responder;
    }

    /**
     * @return a TLS context whose server side answers TLS-ALPN-01 validation handshakes only: any
     *         other handshake gets no certificate (what {@link TlsAlpn01Listener} listens with)
     * @since 0.2.0
     */
    public SSLContext validationOnlyContext() {
        X509ExtendedKeyManager validationsOnly = new X509ExtendedKeyManager() {
            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return socket instanceof SSLSocket tls && isValidation(tls::getHandshakeApplicationProtocol)
                        ? chooseValidation(keyType, requestedName(tls.getHandshakeSession())) : null;
            }

            @Override
            public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                return engine != null && isValidation(engine::getHandshakeApplicationProtocol)
                        ? chooseValidation(keyType, requestedName(engine.getHandshakeSession())) : null;
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return SniKeyManager.this.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return SniKeyManager.this.getPrivateKey(alias);
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return null;
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[]{validationsOnly}, null, null);
            return TlsPolicy.strict(context);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot create a TLS context", e);
        }
    }

    /**
     * Adds {@value #ACME_TLS_1} to the application protocols a server offers, after those it has
     * ({@code http/1.1} when it has none), so that TLS-ALPN-01 validators can negotiate it; a
     * client that does not offer it never gets it.
     *
     * <pre>{@code
     * httpsServer.setHttpsConfigurator(new HttpsConfigurator(keys.sslContext()) {
     *     public void configure(HttpsParameters parameters) {
     *         parameters.setSSLParameters(SniKeyManager.offeringAcmeTls1(getSSLContext().getDefaultSSLParameters()));
     *     }
     * });
     * }</pre>
     *
     * @param parameters the server's TLS parameters; changed
     * @return the same parameters
     * @since 0.2.0
     */
    public static SSLParameters offeringAcmeTls1(SSLParameters parameters) {
        List<String> protocols = new ArrayList<>(List.of(parameters.getApplicationProtocols()));
        if (protocols.isEmpty()) {
            protocols.add("http/1.1");
        }
        if (!protocols.contains(ACME_TLS_1)) {
            protocols.add(ACME_TLS_1);
        }
        parameters.setApplicationProtocols(protocols.toArray(new String[0]));
        return parameters;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        if (!(socket instanceof SSLSocket tls)) {
            return choose(keyType, null);
        }
        String name = requestedName(tls.getHandshakeSession());
        return isValidation(tls::getHandshakeApplicationProtocol) ? chooseValidation(keyType, name) : choose(keyType, name);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        if (engine == null) {
            return choose(keyType, null);
        }
        String name = requestedName(engine.getHandshakeSession());
        return isValidation(engine::getHandshakeApplicationProtocol) ? chooseValidation(keyType, name)
                : choose(keyType, name);
    }

    private static boolean isValidation(java.util.function.Supplier<String> negotiatedProtocol) {
        try {
            return ACME_TLS_1.equals(negotiatedProtocol.get());
        } catch (UnsupportedOperationException e) {
            return false; // an engine without ALPN
        }
    }

    /** Only a pending challenge's validation certificate; never the real one (RFC 8737 section 3). */
    private String chooseValidation(String keyType, String name) {
        Served validation = name == null ? null : validations.get(name);
        if (validation == null) {
            LOG.debug("An {} handshake for {} without a pending TLS-ALPN-01 challenge gets no certificate", ACME_TLS_1, name);
            return null;
        }
        return matches(validation, keyType) ? validation.alias() : null;
    }

    /** Publishes TLS-ALPN-01 validation certificates into this key manager. */
    private final class TlsAlpn01Responder implements ChallengeResponder {
        @Override
        public void publish(String token, String keyAuthorization) {
            throw new IllegalArgumentException("TLS-ALPN-01 needs the name being validated: call publish(domain, token,"
                    + " keyAuthorization)");
        }

        @Override
        public void publish(String domain, String token, String keyAuthorization) {
            Objects.requireNonNull(domain, "domain");
            String name = normalized(domain);
            IssuedCertificate certificate = TlsAlpnCertificates.create(name, keyAuthorization);
            Served served = new Served(ALIAS_PREFIX + generation.incrementAndGet(), certificate,
                    certificate.chain().toArray(new X509Certificate[0]), certificate.privateKey().getAlgorithm(), 0);
            byAlias.put(served.alias(), served);
            List<String> sniNames = InputChecks.isIpAddress(name) ? List.of(TlsAlpnCertificates.reverseName(name), name)
                    : List.of(name);
            sniNames.forEach(sni -> validations.put(sni, served));
            validationNamesByToken.put(token, sniNames);
        }

        @Override
        public void withdraw(String token) {
            List<String> sniNames = validationNamesByToken.remove(token);
            if (sniNames != null) {
                sniNames.forEach(sni -> {
                    Served served = validations.remove(sni);
                    if (served != null) {
                        retire(served);
                    }
                });
            }
        }
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
        if (served == null) {
            return null;
        }
        lazy.used(served.alias());
        return served.alias();
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
            Optional<LazyCertificates.Lazy> notLoaded = lazy.find(name);
            if (notLoaded.isPresent()) {
                return ofType(load(notLoaded.get()), keyType);
            }
            if (expected.contains(name)) {
                return null; // its own temporary certificate, rather than another name's real one
            }
        }
        String fallback = defaultName;
        if (fallback == null) {
            return null;
        }
        Served byDefault = ofType(byName.get(fallback), keyType);
        return byDefault != null ? byDefault : lazy.find(fallback).map(entry -> ofType(load(entry), keyType)).orElse(null);
    }

    /** Loads a lazily put certificate (once, whichever handshake asks first), and lets go of the least used beyond capacity. */
    private List<Served> load(LazyCertificates.Lazy entry) {
        synchronized (entry) {
            List<Served> already = byName.get(entry.names().get(0));
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
            Served served = served(certificate);
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
                            List<Served> kept = list.stream().filter(s -> !s.alias().equals(alias)).toList();
                            return kept.isEmpty() ? null : kept;
                        })));
                Served served = byAlias.get(alias);
                if (served != null) {
                    retire(served);
                }
            }
        }
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
        return LazyCertificates.normalized(name);
    }
}
