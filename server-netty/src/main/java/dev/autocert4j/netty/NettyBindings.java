package dev.autocert4j.netty;

import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.tls.GuardedTlsServer;
import dev.autocert4j.tls.SniKeyManager;
import dev.autocert4j.tls.TlsPolicy;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.Mapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The bindings of a Netty server: Netty keeps no list of what it listens on, so the host says
 * which ports serve plain HTTP and which HTTPS, and the public names. Certificates are served
 * through one {@link #sslContext()} backed by the {@link SniKeyManager}: each handshake gets the
 * certificate for its SNI name, and a renewal is live for the next handshake. Given the host's
 * bootstrap and HTTP pipeline, installing on a port with no listener opens HTTPS there, at run time.
 *
 * <pre>{@code
 * NettyBindings bindings = NettyBindings.builder("portal.example.com")
 *         .http(80).https(443)                              // what the host listens on
 *         .opensHttpsWith(bootstrap, new PortalInitializer())  // optional
 *         .build();
 * // in the host's HTTPS pipeline: bindings.sslContext().newHandler(channel.alloc())
 * }</pre>
 *
 * <p>HTTPS listeners opened here are guarded against slow and idle clients, with the defaults of
 * {@link GuardedTlsServer}: a TLS handshake must finish within
 * {@link GuardedTlsServer#DEFAULT_HANDSHAKE_TIMEOUT}, a connection idle for
 * {@link GuardedTlsServer#DEFAULT_IDLE_TIMEOUT} is closed, one client address holds at most
 * {@link GuardedTlsServer#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS} connections and the listener at most
 * {@link GuardedTlsServer#DEFAULT_MAX_CONNECTIONS} (a connection over a cap is closed at once), and a
 * client-initiated TLS 1.2 renegotiation closes the connection. Pipelines the host builds itself
 * keep the host's settings.
 */
public final class NettyBindings implements BindingProvider {

    private static final Logger LOG = LoggerFactory.getLogger(NettyBindings.class);

    private final List<String> hostNames;
    private final Set<Integer> httpPorts;
    private final Set<Integer> httpsPorts;
    private final ServerBootstrap template;
    private final ChannelHandler httpInitializer;
    private final InetAddress bindAddress;
    private final SniKeyManager keys = new SniKeyManager();
    private final SslContext sslContext;
    private final Map<Integer, Channel> opened = new LinkedHashMap<>();

    private NettyBindings(Builder builder) {
        this.hostNames = List.copyOf(builder.hostNames);
        this.httpPorts = new LinkedHashSet<>(builder.httpPorts);
        this.httpsPorts = new LinkedHashSet<>(builder.httpsPorts);
        this.template = builder.template;
        this.httpInitializer = builder.httpInitializer;
        this.bindAddress = builder.bindAddress;
        hostNames.forEach(keys::expect);
        try {
            // the JDK's TLS: it asks the key manager at each handshake, with the SNI name
            // ALPN offers acme-tls/1 beside http/1.1, so TLS-ALPN-01 validators are answered here too
            this.sslContext = SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK)
                    .protocols(TlsPolicy.PROTOCOLS).ciphers(TlsPolicy.CIPHER_SUITES) // TLS 1.2+, AEAD suites only
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_1_1, SniKeyManager.ACME_TLS_1))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("Netty cannot build a TLS context on the JDK's TLS", e);
        }
    }

    /**
     * @param hostNames the public names the portal is reached by, at least one
     * @return a builder
     */
    public static Builder builder(String... hostNames) {
        return new Builder(hostNames);
    }

    /**
     * @return what answers TLS-ALPN-01 challenges on this server's HTTPS listeners: give it to
     *         {@code AutoCert.Builder.challengeSolver(...)}
     * @since 0.2.0
     */
    public ChallengeSolver tlsAlpn01Responder() {
        return keys.tlsAlpn01Responder();
    }

    /**
     * Opens HTTPS on a port now, before any certificate exists (a temporary self-signed one is
     * served until the first is installed): for TLS-ALPN-01, whose validation reaches the HTTPS
     * listener before the certificate exists. Needs the host's bootstrap ({@code opensHttpsWith}).
     *
     * @param port the port
     * @throws InterruptedException if interrupted while binding
     * @throws IllegalStateException if the port serves plain HTTP or no bootstrap was given
     * @since 0.2.0
     */
    public synchronized void openHttps(int port) throws InterruptedException {
        if (httpPorts.contains(port)) {
            throw new IllegalStateException("port " + port + " serves plain HTTP; choose another HTTPS port");
        }
        if (!httpsPorts.contains(port)) {
            openHttpsListener(port);
        }
    }

    /** @return the TLS context for every HTTPS pipeline: {@code sslContext().newHandler(channel.alloc())} */
    public SslContext sslContext() {
        return sslContext;
    }

    /** @return an SNI mapping for hosts that use Netty's {@code SniHandler}: every name gets {@link #sslContext()} */
    public Mapping<String, SslContext> sniMapping() {
        return name -> sslContext;
    }

    /** @return the key manager serving the certificates */
    public SniKeyManager keyManager() {
        return keys;
    }

    @Override
    public synchronized List<Binding> bindings() {
        Set<Binding> bindings = new LinkedHashSet<>();
        for (String name : hostNames) {
            httpPorts.forEach(port -> bindings.add(new Binding("http", name, port)));
            httpsPorts.forEach(port -> bindings.add(new Binding("https", name, port)));
        }
        return List.copyOf(bindings);
    }

    /**
     * Serves the certificate from the next handshake on; opens HTTPS on the binding's port first if
     * nothing listens there and the builder was given the host's bootstrap.
     *
     * @throws IllegalStateException if the port serves plain HTTP, or has no HTTPS listener and none can be opened
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

    private InstallResult serveOn(Binding httpsBinding, Runnable putIntoKeys) throws InterruptedException {
        int port = httpsBinding.port();
        if (httpPorts.contains(port)) {
            throw new IllegalStateException("port " + port + " serves plain HTTP; choose another HTTPS port");
        }
        putIntoKeys.run();
        if (!httpsPorts.contains(port)) {
            openHttpsListener(port);
        }
        return InstallResult.LIVE;
    }

    private void openHttpsListener(int port) throws InterruptedException {
        if (template == null) {
            throw new IllegalStateException("nothing listens on port " + port + " and NettyBindings cannot open it: give"
                    + " the builder the host's bootstrap with opensHttpsWith(..), or declare the port with https(..)");
        }
        HttpsConnectionGuards.ConnectionCaps caps = new HttpsConnectionGuards.ConnectionCaps(
                GuardedTlsServer.DEFAULT_MAX_CONNECTIONS, GuardedTlsServer.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
        ServerBootstrap bootstrap = template.clone().childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                SslHandler tls = sslContext.newHandler(channel.alloc());
                tls.setHandshakeTimeoutMillis(GuardedTlsServer.DEFAULT_HANDSHAKE_TIMEOUT.toMillis());
                channel.pipeline().addLast(caps,
                        new IdleStateHandler(0, 0, GuardedTlsServer.DEFAULT_IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                        HttpsConnectionGuards.CloseWhenIdle.INSTANCE,
                        new HttpsConnectionGuards.RenegotiationRefuser(tls), tls, httpInitializer);
            }
        });
        InetSocketAddress address = bindAddress == null ? new InetSocketAddress(port) : new InetSocketAddress(bindAddress, port);
        Channel channel = bootstrap.bind(address).sync().channel();
        opened.put(port, channel);
        httpsPorts.add(port);
        LOG.info("Opened HTTPS on port {}", port);
    }

    /** Closes the HTTPS listeners this object opened. */
    public synchronized void closeOpenedListeners() {
        opened.values().forEach(channel -> channel.close().syncUninterruptibly());
        opened.keySet().forEach(httpsPorts::remove);
        opened.clear();
    }

    /** Builds {@link NettyBindings}. */
    public static final class Builder {
        private final List<String> hostNames = new ArrayList<>();
        private final Set<Integer> httpPorts = new LinkedHashSet<>();
        private final Set<Integer> httpsPorts = new LinkedHashSet<>();
        private ServerBootstrap template;
        private ChannelHandler httpInitializer;
        private InetAddress bindAddress;

        private Builder(String... hostNames) {
            if (hostNames.length == 0) {
                throw new IllegalArgumentException("give at least one host name the portal is reached by");
            }
            for (String name : hostNames) {
                this.hostNames.add(Objects.requireNonNull(name, "hostName").strip().toLowerCase(Locale.ROOT));
            }
        }

        /**
         * @param ports ports where the host serves plain HTTP
         * @return this builder
         */
        public Builder http(int... ports) {
            for (int port : ports) {
                httpPorts.add(requirePort(port));
            }
            return this;
        }

        /**
         * @param ports ports where the host serves HTTPS with {@link NettyBindings#sslContext()}
         * @return this builder
         */
        public Builder https(int... ports) {
            for (int port : ports) {
                httpsPorts.add(requirePort(port));
            }
            return this;
        }

        /**
         * Lets installs open HTTPS on a port where nothing listens yet: a clone of the bootstrap
         * (event loops and channel type set) binds the port, each channel's pipeline getting the TLS
         * handler first and then the host's HTTP initializer.
         *
         * @param bootstrap       the host's server bootstrap, as a template
         * @param httpInitializer the host's (sharable) handler that sets up an HTTP pipeline
         * @return this builder
         */
        public Builder opensHttpsWith(ServerBootstrap bootstrap, ChannelHandler httpInitializer) {
            this.template = Objects.requireNonNull(bootstrap, "bootstrap");
            this.httpInitializer = Objects.requireNonNull(httpInitializer, "httpInitializer");
            return this;
        }

        /**
         * @param address the address HTTPS listeners opened at run time bind to; default all interfaces
         * @return this builder
         */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        private static int requirePort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " must be between 1 and 65535");
            }
            return port;
        }

        /** @return the bindings */
        public NettyBindings build() {
            return new NettyBindings(this);
        }
    }
}
