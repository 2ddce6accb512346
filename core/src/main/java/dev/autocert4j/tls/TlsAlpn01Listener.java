package dev.autocert4j.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A TLS listener that does nothing but answer TLS-ALPN-01 validation handshakes, for a host that
 * has no HTTPS listener of its own yet (its port 443 is free) and cannot open port 80: it offers
 * only TLS 1.3 and the ALPN protocol {@value SniKeyManager#ACME_TLS_1}, serves the validation
 * certificates of the key manager's {@link SniKeyManager#tlsAlpn01Responder() responder}, and
 * closes each connection after its handshake. Other clients fail their handshake.
 *
 * <p>It is a {@link GuardedTlsServer}: each handshake must end within five seconds of the
 * connection, however slowly the client sends; at most {@value #MAX_CONNECTIONS_PER_ADDRESS}
 * connections are held from one address (a CA validates many names from one address at once) and
 * {@value #MAX_CONNECTIONS} in all, the one that has waited longest dropped to make room, so slow
 * or idle clients cannot keep a validator out.
 *
 * <pre>{@code
 * SniKeyManager keys = new SniKeyManager();
 * try (TlsAlpn01Listener listener = TlsAlpn01Listener.start(keys, new InetSocketAddress(443))) {
 *     autoCert... challengeSolver(keys.tlsAlpn01Responder()) ...
 * }
 * }</pre>
 *
 * @since 0.2.0
 */
public final class TlsAlpn01Listener implements AutoCloseable {

    /** The most connections held at once from one address. */
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 32;
    /** The most connections held at once. */
    public static final int MAX_CONNECTIONS = 512;

    private static final Logger LOG = LoggerFactory.getLogger(TlsAlpn01Listener.class);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    private final GuardedTlsServer server;

    private TlsAlpn01Listener(GuardedTlsServer server) {
        this.server = server;
    }

    /**
     * Binds the address and starts answering validation handshakes.
     *
     * @param keys    the key manager whose TLS-ALPN-01 responder publishes the challenges
     * @param address where to listen, such as {@code new InetSocketAddress(443)}
     * @return the running listener
     * @throws IOException if the address cannot be bound
     */
    public static TlsAlpn01Listener start(SniKeyManager keys, InetSocketAddress address) throws IOException {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(address, "address");
        GuardedTlsServer server = GuardedTlsServer.builder(keys.validationOnlyContext())
                .address(address)
                .tls13Only()
                .applicationProtocols(SniKeyManager.ACME_TLS_1)
                .handshakeTimeout(HANDSHAKE_TIMEOUT)
                .idleTimeout(HANDSHAKE_TIMEOUT)
                .connectionTimeout(HANDSHAKE_TIMEOUT.multipliedBy(2))
                .maxConnections(MAX_CONNECTIONS)
                .maxConnectionsPerAddress(MAX_CONNECTIONS_PER_ADDRESS)
                .name("autocert4j-tls-alpn-01")
                .start();
        LOG.info("Answering TLS-ALPN-01 validation handshakes on port {}", server.port());
        return new TlsAlpn01Listener(server);
    }

    /** @return the port it listens on */
    public int port() {
        return server.port();
    }

    /** Stops listening and drops connections in progress. */
    @Override
    public void close() {
        server.close();
    }
}
