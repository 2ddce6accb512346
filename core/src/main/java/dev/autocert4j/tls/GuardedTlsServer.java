package dev.autocert4j.tls;

import dev.autocert4j.spi.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A TLS listener that slow, idle or numerous clients cannot take down, for the TLS ports
 * autocert4j opens itself. It speaks {@link TlsPolicy}'s TLS (renegotiation refused) through an
 * engine per connection, on a thread per connection, and:
 * <ul>
 *   <li>gives each handshake a deadline: a client that sends its hello slowly, byte by byte, or
 *       not at all, is dropped when it passes, however often it sends something;</li>
 *   <li>drops a connection whose client sends nothing for the idle timeout, and any connection at
 *       the end of its longest lifetime;</li>
 *   <li>holds at most a number of connections from one address, refusing more at once, and at
 *       most a number in all: when full, the connection that has waited longest on its client (in
 *       its handshake or for data) is dropped to make room, so connections held open by others
 *       never shut out a new client.</li>
 * </ul>
 * Each connection is handed to the {@link Handler} after its handshake; without one, it is closed
 * after its handshake (what a TLS-ALPN-01 validation needs).
 *
 * <pre>{@code
 * GuardedTlsServer server = GuardedTlsServer.builder(keys.sslContext())
 *         .address(new InetSocketAddress(8443)).applicationProtocols("http/1.1")
 *         .handler(connection -> ...).start();
 * }</pre>
 *
 * @since 0.2.0
 */
public final class GuardedTlsServer implements AutoCloseable {

    /** The default deadline for a handshake, from the connection's acceptance. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The default longest wait for the client's next bytes after the handshake. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** The default longest life of a connection. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(60);
    /** The default cap on connections held at once. */
    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    /** The default cap on connections held at once from one address. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 16;

    private static final Logger LOG = LoggerFactory.getLogger(GuardedTlsServer.class);

    /** What a connection is used for once its handshake is done. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Serves one connection; it is closed when this returns or throws.
         *
         * @param connection the connection, its handshake done
         * @throws IOException if reading or writing fails (the connection is closed)
         */
        void serve(Connection connection) throws IOException;
    }

    /** One client's connection, its handshake done. */
    public static final class Connection {
        private final TrackedConnection tracked;

        private Connection(TrackedConnection tracked) {
            this.tracked = tracked;
        }

        /** @return the decrypted bytes from the client; a read waits at most the idle timeout */
        public InputStream input() {
            return tracked.input;
        }

        /** @return where to write to the client, encrypted on the way */
        public OutputStream output() {
            return tracked.output;
        }

        /** @return the TLS session: protocol, cipher suite, the SNI name asked for */
        public SSLSession session() {
            return tracked.tls.engine().getSession();
        }

        /** @return the ALPN protocol negotiated, or the empty string if none was */
        public String applicationProtocol() {
            String protocol = tracked.tls.engine().getApplicationProtocol();
            return protocol == null ? "" : protocol;
        }

        /** @return the client's address and port */
        public InetSocketAddress remoteAddress() {
            return tracked.remote;
        }
    }

    private final ServerSocket server;
    private final Builder settings;
    private final ExecutorService connections;
    private final ScheduledExecutorService deadlines;
    private final Thread acceptor;
    private final ConnectionRegistry registry;

    private GuardedTlsServer(ServerSocket server, Builder settings) {
        this.server = server;
        this.settings = settings;
        this.registry = new ConnectionRegistry(settings.maxConnections, settings.maxConnectionsPerAddress);
        ThreadFactory threads = NamedThreads.daemon(settings.name);
        this.connections = Executors.newCachedThreadPool(threads);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, NamedThreads.daemon(settings.name + "-deadlines"));
        timer.setRemoveOnCancelPolicy(true);
        this.deadlines = timer;
        this.acceptor = NamedThreads.daemon(settings.name + "-accept").newThread(new AcceptLoop(server, this::admit));
    }

    /**
     * Starts building a listener.
     *
     * @param context the TLS context whose keys it serves; {@link TlsPolicy#strict(SSLContext) made strict}
     * @return a builder
     */
    public static Builder builder(SSLContext context) {
        return new Builder(TlsPolicy.strict(Objects.requireNonNull(context, "context")));
    }

    /** @return the port it listens on */
    public int port() {
        return server.getLocalPort();
    }

    /** @return how many connections it holds now */
    public int openConnections() {
        return registry.size();
    }

    private void admit(Socket socket) {
        TrackedConnection tracked;
        try {
            tracked = registry.admit(socket, accepted -> new TrackedConnection(accepted, newEngine()));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Setting up a TLS connection failed: {}", e.toString());
            closeQuietly(socket);
            return;
        }
        if (tracked == null) {
            closeQuietly(socket);
            return;
        }
        try {
            connections.execute(() -> run(tracked));
        } catch (RejectedExecutionException closing) {
            registry.release(tracked);
        }
    }

    private SSLEngine newEngine() {
        SSLEngine engine = settings.context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        if (settings.protocols != null) {
            parameters.setProtocols(settings.protocols);
        }
        if (settings.applicationProtocols.length > 0) {
            parameters.setApplicationProtocols(settings.applicationProtocols);
        }
        engine.setSSLParameters(parameters);
        return new RenegotiationRefusingEngine(engine);
    }

    private void run(TrackedConnection tracked) {
        ScheduledFuture<?> endOfLife = deadlines.schedule(tracked.tls::closeSocket,
                settings.connectionTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            tracked.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout.toMillis()));
            handshake(tracked);
            if (settings.handler != null) {
                settings.handler.serve(new Connection(tracked));
            }
            tracked.tls.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("A TLS connection from {} ended: {}", tracked.remote, e.toString());
        } finally {
            endOfLife.cancel(false);
            tracked.tls.closeSocket();
            registry.release(tracked);
        }
    }

    private void handshake(TrackedConnection tracked) throws IOException {
        ScheduledFuture<?> deadline = deadlines.schedule(tracked.tls::closeSocket,
                settings.handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            tracked.tls.handshake();
        } finally {
            deadline.cancel(false);
        }
        tracked.handshakeDone();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Stops listening (the port is free when it returns) and drops every connection. */
    @Override
    public void close() {
        AcceptLoop.stop(server, acceptor);
        registry.snapshot().forEach(tracked -> tracked.tls.closeSocket());
        connections.shutdownNow();
        deadlines.shutdownNow();
    }

    /** Settings of a {@link GuardedTlsServer}; defaults as the constants say. */
    public static final class Builder {
        private final SSLContext context;
        private InetSocketAddress address = new InetSocketAddress(0);
        private String[] applicationProtocols = new String[0];
        private Handler handler;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private int backlog = 128;
        private String name = "autocert4j-tls";
        private String[] protocols;

        private Builder(SSLContext context) {
            this.context = context;
        }

        /**
         * @param address where to listen; a free port of every address if not set
         * @return this builder
         */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * @param protocols the ALPN protocols offered, in order of preference, such as {@code "http/1.1"}
         * @return this builder
         */
        public Builder applicationProtocols(String... protocols) {
            this.applicationProtocols = protocols.clone();
            return this;
        }

        /**
         * @param handler what serves each connection after its handshake; none closes it then
         * @return this builder
         */
        public Builder handler(Handler handler) {
            this.handler = handler;
            return this;
        }

        /**
         * @param timeout the deadline of a handshake, counted from the connection's acceptance
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshakeTimeout");
            return this;
        }

        /**
         * @param timeout the longest wait for the client's next bytes
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /**
         * @param timeout the longest life of a connection
         * @return this builder
         */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = positive(timeout, "connectionTimeout");
            return this;
        }

        /**
         * @param max the most connections held at once
         * @return this builder
         */
        public Builder maxConnections(int max) {
            this.maxConnections = atLeastOne(max, "maxConnections");
            return this;
        }

        /**
         * @param max the most connections held at once from one address
         * @return this builder
         */
        public Builder maxConnectionsPerAddress(int max) {
            this.maxConnectionsPerAddress = atLeastOne(max, "maxConnectionsPerAddress");
            return this;
        }

        /**
         * @param name the prefix of its threads' names
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Offers TLS 1.3 only (TLS-ALPN-01 validations need it). */
        Builder tls13Only() {
            this.protocols = new String[]{"TLSv1.3"};
            return this;
        }

        private Builder copy() {
            Builder copy = new Builder(context);
            copy.address = address;
            copy.applicationProtocols = applicationProtocols.clone();
            copy.handler = handler;
            copy.handshakeTimeout = handshakeTimeout;
            copy.idleTimeout = idleTimeout;
            copy.connectionTimeout = connectionTimeout;
            copy.maxConnections = maxConnections;
            copy.maxConnectionsPerAddress = maxConnectionsPerAddress;
            copy.backlog = backlog;
            copy.name = name;
            copy.protocols = protocols == null ? null : protocols.clone();
            return copy;
        }

        /**
         * Binds the address and starts accepting.
         *
         * @return the running listener
         * @throws IOException if the address cannot be bound
         */
        public GuardedTlsServer start() throws IOException {
            ServerSocket server = new ServerSocket();
            try {
                server.setReuseAddress(true);
                server.bind(address, backlog);
            } catch (IOException e) {
                server.close();
                throw e;
            }
            GuardedTlsServer guarded = new GuardedTlsServer(server, copy());
            guarded.acceptor.start();
            return guarded;
        }

        private static Duration positive(Duration timeout, String what) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + timeout);
            }
            return timeout;
        }

        private static int atLeastOne(int max, String what) {
            if (max < 1) {
                throw new IllegalArgumentException(what + " must be at least 1: " + max);
            }
            return max;
        }
    }
}
