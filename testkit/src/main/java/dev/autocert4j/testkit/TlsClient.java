package dev.autocert4j.testkit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A TLS client for tests that looks at what a server presents: it completes a handshake with the
 * SNI name given (or none) and returns the certificate chain served, without judging it.
 * Immutable; the {@code with...} methods return copies.
 *
 * <pre>{@code
 * X509Certificate served = TlsClient.create().handshake(address, "portal.example.com").get(0);
 * }</pre>
 */
public final class TlsClient {

    private final Duration timeout;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final String[] applicationProtocols;

    private TlsClient(Duration timeout, String[] protocols, String[] cipherSuites, String[] applicationProtocols) {
        this.timeout = timeout;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.applicationProtocols = applicationProtocols;
    }

    /** @return a client with a 10-second timeout and the JVM's default protocols and cipher suites */
    public static TlsClient create() {
        return new TlsClient(Duration.ofSeconds(10), null, null, null);
    }

    /**
     * @param protocols the only protocols to offer, such as {@code "TLSv1.2"}
     * @return a copy offering only those
     */
    public TlsClient withProtocols(String... protocols) {
        return new TlsClient(timeout, protocols.clone(), cipherSuites, applicationProtocols);
    }

    /**
     * @param cipherSuites the only cipher suites to offer, such as {@code "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}
     * @return a copy offering only those
     */
    public TlsClient withCipherSuites(String... cipherSuites) {
        return new TlsClient(timeout, protocols, cipherSuites.clone(), applicationProtocols);
    }

    /**
     * @param protocols the ALPN protocols to offer, such as {@code "acme-tls/1"}
     * @return a copy offering those
     */
    public TlsClient withApplicationProtocols(String... protocols) {
        return new TlsClient(timeout, this.protocols, cipherSuites, protocols.clone());
    }

    /**
     * Connects, completes a TLS handshake and closes the connection.
     *
     * @param address    where the server listens
     * @param serverName the SNI name to send, or {@code null} for none
     * @return the chain the server presented, end-entity certificate first
     * @throws IOException if the connection or the handshake fails
     */
    public List<X509Certificate> handshake(InetSocketAddress address, String serverName) throws IOException {
        try (SSLSocket socket = open(address, serverName)) {
            return List.of((X509Certificate[]) socket.getSession().getPeerCertificates());
        }
    }

    /**
     * Connects, completes a TLS handshake and returns the serial number of the certificate served.
     *
     * @param address    where the server listens
     * @param serverName the SNI name to send, or {@code null} for none
     * @return the end-entity certificate's serial number in lower-case hex, as
     *         {@link dev.autocert4j.CertificateStatus#serialNumber()} gives it
     * @throws IOException if the connection or the handshake fails
     * @since 0.2.0
     */
    public String servedSerial(InetSocketAddress address, String serverName) throws IOException {
        return handshake(address, serverName).get(0).getSerialNumber().toString(16);
    }

    /**
     * @return an SSL context that accepts any server certificate, for clients that only look at
     *         what is served (never for trusting anything)
     * @since 0.2.0
     */
    public static SSLContext sslContextTrustingAnything() {
        return trustingAnything();
    }

    /**
     * Connects and completes a TLS handshake, leaving the connection open for the caller.
     *
     * @param address    where the server listens
     * @param serverName the SNI name to send, or {@code null} for none
     * @return the connected socket, its handshake done
     * @throws IOException if the connection or the handshake fails
     */
    public SSLSocket open(InetSocketAddress address, String serverName) throws IOException {
        Objects.requireNonNull(address, "address");
        int millis = (int) timeout.toMillis();
        Socket plain = new Socket();
        try {
            plain.connect(address, millis);
            plain.setSoTimeout(millis);
            SSLSocket socket = (SSLSocket) trustingAnything().getSocketFactory()
                    .createSocket(plain, address.getHostString(), address.getPort(), true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
            if (protocols != null) {
                parameters.setProtocols(protocols);
            }
            if (cipherSuites != null) {
                parameters.setCipherSuites(cipherSuites);
            }
            if (applicationProtocols != null) {
                parameters.setApplicationProtocols(applicationProtocols);
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static SSLContext trustingAnything() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    // a client: never asked
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    // tests look at what is served; they do not trust it with anything
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot create a TLS context", e);
        }
    }
}
