package dev.autocert4j.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The TLS every listener autocert4j opens or configures offers, and what {@link SniKeyManager#sslContext()}
 * gives hosts: TLS 1.3 and 1.2 only, AEAD cipher suites only (TLS 1.3's, and ECDHE with AES-GCM or
 * ChaCha20-Poly1305 under TLS 1.2), in the server's order of preference, no renegotiation and no
 * compression.
 *
 * <ul>
 *   <li>Compression: the JDK implements none, so a client that offers it gets none (no CRIME).</li>
 *   <li>Renegotiation: TLS 1.3 has none. Under TLS 1.2 the JDK accepts a client-initiated
 *       renegotiation unless the JVM-wide system property {@code jdk.tls.rejectClientInitiatedRenegotiation}
 *       is set before the first handshake; a library cannot rely on that, so {@link GuardedTlsServer}
 *       (autocert4j's own listeners) wraps each engine so that it refuses a new handshake on an
 *       established TLS 1.2 connection: the connection fails before the server answers the
 *       client's hello. The HTTPS that the Jetty, Netty and Tomcat adapters open refuses it too
 *       (Jetty through its own setting, Tomcat through {@link #refusingRenegotiation(SSLEngine)}, Netty
 *       in its pipeline). Other servers given a {@linkplain #strict(SSLContext) strict context} get its
 *       protocols and suites; to refuse renegotiation there, wrap their engines with
 *       {@link #refusingRenegotiation(SSLEngine)} or set that system property.</li>
 * </ul>
 *
 * @since 0.2.0
 */
public final class TlsPolicy {

    /** The protocols offered, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * The cipher suites offered, in the server's order of preference: TLS 1.3's, then TLS 1.2's
     * ECDHE suites with AES-GCM or ChaCha20-Poly1305, ECDSA before RSA. No CBC, no static RSA key
     * exchange, no SHA-1 MAC.
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsPolicy() {
    }

    /**
     * Restricts TLS parameters to this policy: its protocols and cipher suites (those this JVM
     * supports), chosen in the server's order.
     *
     * @param parameters the parameters to change, such as {@code context.getDefaultSSLParameters()}
     * @param context    the context whose supported protocols and suites bound the choice
     * @return the same parameters
     */
    public static SSLParameters apply(SSLParameters parameters, SSLContext context) {
        Objects.requireNonNull(parameters, "parameters");
        SSLParameters supported = context.getSupportedSSLParameters();
        parameters.setProtocols(supportedOf(PROTOCOLS, supported.getProtocols()));
        parameters.setCipherSuites(supportedOf(CIPHER_SUITES, supported.getCipherSuites()));
        parameters.setUseCipherSuitesOrder(true);
        return parameters;
    }

    /**
     * Wraps a TLS context so that everything it creates follows this policy: its default
     * parameters, its engines and its server sockets (protocols and suites). A host may
     * still set other parameters on an engine it gets.
     *
     * @param context an initialised TLS context
     * @return a context that serves the same keys under this policy
     */
    public static SSLContext strict(SSLContext context) {
        Objects.requireNonNull(context, "context");
        return context instanceof StrictSslContext ? context : new StrictSslContext(context);
    }

    /**
     * Wraps a server's TLS engine so that a client-initiated renegotiation of an established TLS 1.2
     * connection fails before anything is answered (TLS 1.3 has none). The JDK accepts such a
     * renegotiation unless the JVM-wide system property {@code jdk.tls.rejectClientInitiatedRenegotiation}
     * is set; a server that creates its own engines (Tomcat's endpoint, say) can refuse it per connection
     * with this wrapper instead.
     *
     * @param engine a server-side engine
     * @return an engine that does what it does, but refuses renegotiation
     * @since 0.2.0
     */
    public static SSLEngine refusingRenegotiation(SSLEngine engine) {
        Objects.requireNonNull(engine, "engine");
        return engine instanceof RenegotiationRefusingEngine ? engine : new RenegotiationRefusingEngine(engine);
    }

    private static String[] supportedOf(List<String> wanted, String[] supported) {
        Set<String> available = Set.of(supported);
        return wanted.stream().filter(available::contains).toArray(String[]::new);
    }
}
