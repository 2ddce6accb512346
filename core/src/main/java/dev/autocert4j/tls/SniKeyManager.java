package dev.autocert4j.tls;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.OnDemandCertificates;
import dev.autocert4j.OnDemandKeyManager;
import dev.autocert4j.spi.ChallengeSolver;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
public final class SniKeyManager extends X509ExtendedKeyManager implements OnDemandKeyManager {

    private static final Logger LOG = LoggerFactory.getLogger(SniKeyManager.class);

    /** The ALPN protocol of TLS-ALPN-01 validation handshakes (RFC 8737). */
    public static final String ACME_TLS_1 = "acme-tls/1";

    private final ServedAliases aliases = new ServedAliases();
    private final CertificateTable table;
    private final TlsAlpnValidations validations = new TlsAlpnValidations(aliases);
    private volatile HandshakeWaits onDemand;

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
        this.table = new CertificateTable(aliases, loadedCapacity);
    }

    /**
     * Starts serving a certificate for every DNS name and IP address on it, in place of any
     * certificate of the same key type those names had.
     *
     * @param certificate the certificate with its private key
     */
    public void put(IssuedCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        List<String> names = namesOf(certificate);
        table.put(certificate, names);
        names.forEach(table::forgetLazy);
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
    @Override
    public void putLazily(CertificateMetadata metadata, Supplier<IssuedCertificate> loader) {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(loader, "loader");
        table.putLazily(metadata, loader);
    }

    /**
     * Stops serving any certificate for a name. Handshakes for it then get the default certificate.
     *
     * @param name a DNS name or IP address
     * @return whether a certificate was served for it
     */
    public boolean remove(String name) {
        return table.remove(normalized(name));
    }

    /**
     * Says that a certificate for this name is on its way: until it is {@linkplain #put put}, a
     * handshake for the name gets a temporary self-signed certificate for it.
     *
     * @param name a DNS name or IP address
     * @return this key manager
     */
    public SniKeyManager expect(String name) {
        table.expect(normalized(name));
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
        table.defaultName(normalized(name));
        return this;
    }

    /**
     * Obtains certificates on demand: a handshake for a name nothing is served for (no exact,
     * wildcard, lazily put or expected name) asks the source, and waits for the certificate on the
     * source's answer, up to the wait in all; when it comes in time the handshake is served with it,
     * otherwise it fails and the next handshake gets it. A name the source refuses gets what any
     * unknown name gets (the default name's certificate).
     *
     * @param source decides and obtains, once per name
     * @param wait   how long a handshake waits at most, positive
     * @since 0.2.0
     */
    @Override
    public void onDemand(OnDemandCertificates source, java.time.Duration wait) {
        Objects.requireNonNull(source, "source");
        if (wait.isNegative() || wait.isZero()) {
            throw new IllegalArgumentException("wait must be positive");
        }
        this.onDemand = new HandshakeWaits(source, wait);
    }

    /**
     * Says which real certificate a handshake asking for this name gets (exact name, then
     * wildcard, then the default), as a client accepting any key type would.
     *
     * @param name the SNI name, or {@code null} for a handshake without SNI
     * @return the certificate, or empty if only a temporary one would be served
     */
    public Optional<IssuedCertificate> certificateFor(String name) {
        return Optional.ofNullable(table.find(name == null ? null : normalized(name), null))
                .map(ServedCertificate::certificate);
    }

    /** @return every name a certificate is served for (loaded or not), in no particular order */
    public Set<String> names() {
        return table.names();
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
     * {@code AutoCert.Builder.challengeSolver(...)}. Each presented challenge puts a validation
     * certificate in place for its name until it is cleaned up.
     *
     * @return the solver
     * @since 0.2.0
     */
    public ChallengeSolver tlsAlpn01Responder() {
        return validations;
    }

    /**
     * @return a TLS context whose server side answers TLS-ALPN-01 validation handshakes only: any
     *         other handshake gets no certificate (what {@link TlsAlpn01Listener} listens with)
     * @since 0.2.0
     */
    public SSLContext validationOnlyContext() {
        X509ExtendedKeyManager validationsOnly = new ValidationOnlyKeyManager(this);
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
            return choose(keyType, null, null);
        }
        SSLSession handshake = tls.getHandshakeSession();
        String name = requestedName(handshake);
        return isValidation(tls::getHandshakeApplicationProtocol) ? chooseValidation(keyType, name)
                : choose(keyType, name, handshake);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        if (engine == null) {
            return choose(keyType, null, null);
        }
        SSLSession handshake = engine.getHandshakeSession();
        String name = requestedName(handshake);
        return isValidation(engine::getHandshakeApplicationProtocol) ? chooseValidation(keyType, name)
                : choose(keyType, name, handshake);
    }

    static boolean isValidation(Supplier<String> negotiatedProtocol) {
        try {
            return ACME_TLS_1.equals(negotiatedProtocol.get());
        } catch (UnsupportedOperationException e) {
            return false; // an engine without ALPN
        }
    }

    /** Only a pending challenge's validation certificate; never the real one (RFC 8737 section 3). */
    String chooseValidation(String keyType, String name) {
        ServedCertificate validation = validations.forName(name);
        if (validation == null) {
            LOG.debug("An {} handshake for {} without a pending TLS-ALPN-01 challenge gets no certificate", ACME_TLS_1, name);
            return null;
        }
        return validation.matches(keyType) ? validation.alias() : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String[] ofType = table.aliasesOfType(keyType);
        return ofType.length == 0 ? null : ofType;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return aliases.chain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return aliases.privateKey(alias);
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

    private String choose(String keyType, String requested, SSLSession handshake) {
        HandshakeWaits waits = onDemand;
        if (waits != null && requested != null && !table.knows(requested)
                && waits.await(requested, handshake) == HandshakeWaits.Outcome.STILL_PENDING) {
            LOG.info("The certificate for {} is still being obtained; this handshake fails, the next gets it", requested);
            return null;
        }
        ServedCertificate served = table.find(requested, keyType);
        if (served == null) {
            served = table.temporaryFor(requested, keyType);
        }
        if (served == null) {
            return null;
        }
        table.used(served.alias());
        return served.alias();
    }

    static String requestedName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                    return normalized(((SNIHostName) name).getAsciiName());
                }
            }
        }
        return null;
    }

    static List<String> namesOf(IssuedCertificate certificate) {
        return certificate.metadata().names().stream().map(SniKeyManager::normalized).distinct().toList();
    }

    private static String normalized(String name) {
        Objects.requireNonNull(name, "name");
        return LazyCertificates.normalized(name);
    }
}
