package dev.autocert4j.jetty;

import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.tls.GuardedTlsServer;
import dev.autocert4j.tls.SniKeyManager;
import dev.autocert4j.tls.TlsPolicy;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The bindings of a Jetty server: one per connector and public host name. Certificates are
 * served through one {@link SniKeyManager}, so a renewal is live for the next handshake. Installing
 * on a port without a connector opens an HTTPS connector there, at run time.
 *
 * <pre>{@code
 * JettyBindings bindings = JettyBindings.of(server, "portal.example.com");
 * AutoCert autoCert = AutoCert.builder().bindingProvider(bindings)...build();
 * }</pre>
 *
 * HTTPS connectors the host builds itself serve these certificates when they use
 * {@link #sslContextFactory()}; until the first certificate arrives they serve a temporary
 * self-signed one, so handshakes succeed.
 *
 * <p>HTTPS connectors opened here negotiate ALPN and offer {@value SniKeyManager#ACME_TLS_1}
 * beside {@code http/1.1}, so they answer TLS-ALPN-01 validations when port 80 cannot be opened:
 * give {@link #tlsAlpn01Responder()} to {@code AutoCert.Builder.challengeSolver(..)}
 * and open the port with {@link #openHttps(int)} before enrolling. A connector the host builds
 * itself answers them when it has the same chain of connection factories (TLS, ALPN with both
 * protocols, {@link #acmeTls1ConnectionFactory()}, HTTP).
 *
 * <p>HTTPS connectors opened here are guarded against slow and idle clients, with the defaults of
 * {@link GuardedTlsServer}: a TLS handshake must finish within
 * {@link GuardedTlsServer#DEFAULT_HANDSHAKE_TIMEOUT}, a connection idle for
 * {@link GuardedTlsServer#DEFAULT_IDLE_TIMEOUT} is closed, one client address holds at most
 * {@link GuardedTlsServer#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS} connections and the connector at most
 * {@link GuardedTlsServer#DEFAULT_MAX_CONNECTIONS} (Jetty's {@link ConnectionLimit}: it stops accepting
 * until one closes). Connectors the host builds itself keep the host's settings.
 */
public final class JettyBindings implements BindingProvider {

    private static final Logger LOG = LoggerFactory.getLogger(JettyBindings.class);

    private final Server server;
    private final List<String> hostNames;
    private final SniKeyManager keys = new SniKeyManager();
    private final SslContextFactory.Server sslContextFactory;

    private JettyBindings(Server server, List<String> hostNames) {
        this.server = server;
        this.hostNames = hostNames;
        this.sslContextFactory = new SslContextFactory.Server();
        // choosing the certificate by SNI is the key manager's work; Jetty's own SNI host check needs its keystore
        this.sslContextFactory.setSslContext(keys.sslContext());
        // TlsPolicy: TLS 1.2+ with AEAD suites, in the server's order, and no renegotiation
        this.sslContextFactory.setIncludeProtocols(TlsPolicy.PROTOCOLS.toArray(new String[0]));
        this.sslContextFactory.setIncludeCipherSuites(TlsPolicy.CIPHER_SUITES.toArray(new String[0]));
        this.sslContextFactory.setUseCipherSuitesOrder(true);
        this.sslContextFactory.setRenegotiationAllowed(false);
        hostNames.forEach(keys::expect);
    }

    /**
     * @param server    the server, its connectors added (it may be running already)
     * @param hostNames the public names the portal is reached by: connectors know ports, not names
     * @return the bindings
     * @throws IllegalArgumentException if no host name is given
     */
    public static JettyBindings of(Server server, String... hostNames) {
        Objects.requireNonNull(server, "server");
        if (hostNames.length == 0) {
            throw new IllegalArgumentException("give at least one host name the portal is reached by");
        }
        List<String> names = new ArrayList<>();
        for (String name : hostNames) {
            names.add(Objects.requireNonNull(name, "hostName").strip().toLowerCase(Locale.ROOT));
        }
        return new JettyBindings(server, List.copyOf(names));
    }

    /** @return the key manager serving the certificates */
    public SniKeyManager keyManager() {
        return keys;
    }

    /**
     * @return what answers TLS-ALPN-01 challenges on the HTTPS connectors opened here: give it to
     *         {@code AutoCert.Builder.challengeSolver(...)}
     * @since 0.2.0
     */
    public ChallengeSolver tlsAlpn01Responder() {
        return keys.tlsAlpn01Responder();
    }

    /**
     * @return the connection factory for the {@value SniKeyManager#ACME_TLS_1} protocol, for host-built
     *         connectors that answer TLS-ALPN-01: a validation needs only the handshake, so the
     *         connection is closed as soon as it is made
     * @since 0.2.0
     */
    public ConnectionFactory acmeTls1ConnectionFactory() {
        return new AcmeTls1ConnectionFactory();
    }

    /**
     * Opens an HTTPS connector on a port now, before any certificate exists (a temporary
     * self-signed one is served until the first is installed): for TLS-ALPN-01, whose validation
     * reaches the HTTPS port before the certificate exists. Nothing is done if a connector of this
     * object's already listens there.
     *
     * @param port the port
     * @throws Exception             if Jetty cannot open it
     * @throws IllegalStateException as {@link #install} does, if another connector serves the port
     * @since 0.2.0
     */
    public synchronized void openHttps(int port) throws Exception {
        serveOn(new Binding("https", hostNames.get(0), port), () -> { });
    }

    /** @return a factory for HTTPS connectors that serve these certificates, swapped live */
    public SslContextFactory.Server sslContextFactory() {
        return sslContextFactory;
    }

    @Override
    public List<Binding> bindings() {
        Set<Binding> bindings = new LinkedHashSet<>();
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof NetworkConnector network) {
                String scheme = connector.getConnectionFactory(SslConnectionFactory.class) == null ? "http" : "https";
                for (String name : hostNames) {
                    bindings.add(new Binding(scheme, name, portOf(network)));
                }
            }
        }
        return List.copyOf(bindings);
    }

    /**
     * Serves the certificate from the next handshake on. If no connector listens on the binding's
     * port, an HTTPS connector is opened there first.
     *
     * @throws IllegalStateException if the port is served by plain HTTP, or by an HTTPS connector
     *                               whose certificates are not this object's
     */
    @Override
    public synchronized InstallResult install(Binding httpsBinding, IssuedCertificate certificate) throws Exception {
        return serveOn(httpsBinding, () -> keys.put(certificate));
    }

    /**
     * Serves a stored certificate by its metadata; its key is decrypted at the first handshake for
     * one of its names (see {@link SniKeyManager#putLazily}).
     *
     * @throws IllegalStateException as {@link #install} does
     */
    @Override
    public synchronized InstallResult installStored(Binding httpsBinding, CertificateMetadata metadata,
                                                    Supplier<IssuedCertificate> loader) throws Exception {
        return serveOn(httpsBinding, () -> keys.putLazily(metadata, loader));
    }

    /** Stops serving a certificate for these names; handshakes for them get the default certificate. */
    @Override
    public void uninstall(Binding httpsBinding, List<String> names) {
        names.forEach(keys::remove);
    }

    private InstallResult serveOn(Binding httpsBinding, Runnable putIntoKeys) throws Exception {
        Optional<NetworkConnector> existing = connectorOn(httpsBinding.port());
        if (existing.isPresent()) {
            SslConnectionFactory tls = existing.get().getConnectionFactory(SslConnectionFactory.class);
            if (tls == null) {
                throw new IllegalStateException("port " + httpsBinding.port() + " serves plain HTTP; choose another HTTPS port");
            }
            if (tls.getSslContextFactory() != sslContextFactory) {
                throw new IllegalStateException("the HTTPS connector on port " + httpsBinding.port() + " has certificates of"
                        + " its own; build it with JettyBindings.sslContextFactory() so that they can be replaced");
            }
            putIntoKeys.run();
        } else {
            putIntoKeys.run();
            openHttpsConnector(httpsBinding.port());
        }
        return InstallResult.LIVE;
    }

    private void openHttpsConnector(int port) throws Exception {
        HttpConfiguration configuration = server.getConnectors().length == 0 ? new HttpConfiguration()
                : new HttpConfiguration(firstHttpConfiguration());
        configuration.setSecureScheme("https");
        configuration.setSecurePort(port);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // the key manager chose the certificate by SNI already
        configuration.addCustomizer(secure);
        HttpConnectionFactory http = new HttpConnectionFactory(configuration);
        // ALPN's name for HTTP/1.1 (compared as sent, so not http.getProtocol(), which is upper case)
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("http/1.1", SniKeyManager.ACME_TLS_1);
        alpn.setDefaultProtocol("http/1.1"); // for clients that offer no ALPN
        ServerConnector connector = new ServerConnector(server,
                new RenegotiationCuttingSslConnectionFactory(sslContextFactory, alpn.getProtocol()),
                alpn, acmeTls1ConnectionFactory(), http);
        connector.setPort(port);
        connectorHost().ifPresent(connector::setHost);
        guardAgainstSlowClients(connector);
        server.addConnector(connector);
        if (server.isStarted()) {
            connector.start();
        }
        LOG.info("Opened HTTPS on port {}", port);
    }

    private static void guardAgainstSlowClients(ServerConnector connector) {
        connector.setIdleTimeout(GuardedTlsServer.DEFAULT_IDLE_TIMEOUT.toMillis());
        connector.addBean(new ConnectionLimit(GuardedTlsServer.DEFAULT_MAX_CONNECTIONS, connector));
        connector.addEventListener(new HttpsConnectionGuard(connector.getScheduler(),
                GuardedTlsServer.DEFAULT_HANDSHAKE_TIMEOUT, GuardedTlsServer.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS));
    }

    private HttpConfiguration firstHttpConfiguration() {
        for (Connector connector : server.getConnectors()) {
            HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) {
                return http.getHttpConfiguration();
            }
        }
        return new HttpConfiguration();
    }

    /** The address the existing connectors listen on, so HTTPS listens there too. */
    private Optional<String> connectorHost() {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof ServerConnector network && network.getHost() != null) {
                return Optional.of(network.getHost());
            }
        }
        return Optional.empty();
    }

    private Optional<NetworkConnector> connectorOn(int port) {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof NetworkConnector network && portOf(network) == port) {
                return Optional.of(network);
            }
        }
        return Optional.empty();
    }

    private static int portOf(NetworkConnector connector) {
        return connector.getLocalPort() > 0 ? connector.getLocalPort() : connector.getPort();
    }

    /**
     * {@value SniKeyManager#ACME_TLS_1}: the key manager served the validation certificate during the
     * handshake, which is all the CA checks (RFC 8737, section 3); the connection is then closed.
     */
    private static final class AcmeTls1ConnectionFactory extends AbstractConnectionFactory {

        AcmeTls1ConnectionFactory() {
            super(SniKeyManager.ACME_TLS_1);
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            return configure(new AbstractConnection(endPoint, connector.getExecutor()) {
                @Override
                public void onOpen() {
                    super.onOpen();
                    getEndPoint().close();
                }

                @Override
                public void onFillable() {
                    getEndPoint().close();
                }
            }, connector, endPoint);
        }
    }
}
