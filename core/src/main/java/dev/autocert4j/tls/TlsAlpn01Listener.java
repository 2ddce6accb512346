package dev.autocert4j.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A TLS listener that does nothing but answer TLS-ALPN-01 validation handshakes, for a host that
 * has no HTTPS listener of its own yet (its port 443 is free) and cannot open port 80: it offers
 * only the ALPN protocol {@value SniKeyManager#ACME_TLS_1}, serves the validation certificates of
 * the key manager's {@link SniKeyManager#tlsAlpn01Responder() responder}, and closes each
 * connection after its handshake. Other clients fail their handshake. Handshakes run on at most
 * four threads and time out after five seconds.
 *
 * <pre>{@code
 * SniKeyManager keys = new SniKeyManager();
 * try (TlsAlpn01Listener listener = TlsAlpn01Listener.start(keys, new InetSocketAddress(443))) {
 *     autoCert... challengeResponder(ChallengeType.TLS_ALPN_01, keys.tlsAlpn01Responder()) ...
 * }
 * }</pre>
 *
 * @since 0.2.0
 */
public final class TlsAlpn01Listener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TlsAlpn01Listener.class);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    private static final int HANDSHAKE_THREADS = 4;

    private final SSLServerSocket server;
    private final ExecutorService handshakes;
    private final Thread acceptor;

    private TlsAlpn01Listener(SSLServerSocket server) {
        this.server = server;
        this.handshakes = new ThreadPoolExecutor(HANDSHAKE_THREADS, HANDSHAKE_THREADS, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(64), task -> {
                    Thread thread = new Thread(task, "autocert4j-tls-alpn-01");
                    thread.setDaemon(true);
                    return thread;
                });
        this.acceptor = new Thread(this::accept, "autocert4j-tls-alpn-01-accept");
        this.acceptor.setDaemon(true);
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
        SSLServerSocket server = (SSLServerSocket) keys.validationOnlyContext().getServerSocketFactory().createServerSocket();
        SSLParameters parameters = server.getSSLParameters();
        parameters.setApplicationProtocols(new String[]{SniKeyManager.ACME_TLS_1});
        parameters.setProtocols(new String[]{"TLSv1.3"});
        server.setSSLParameters(parameters);
        server.setReuseAddress(true);
        server.bind(address, 16);
        TlsAlpn01Listener listener = new TlsAlpn01Listener(server);
        listener.acceptor.start();
        LOG.info("Answering TLS-ALPN-01 validation handshakes on {}", server.getLocalSocketAddress());
        return listener;
    }

    /** @return the port it listens on */
    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                SSLSocket socket = (SSLSocket) server.accept();
                try {
                    handshakes.execute(() -> handshake(socket));
                } catch (RejectedExecutionException busy) {
                    close(socket);
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                LOG.debug("Accepting a TLS-ALPN-01 connection failed: {}", e.toString());
            }
        }
    }

    private static void handshake(SSLSocket socket) {
        try (socket) {
            socket.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
            socket.startHandshake();
            LOG.debug("Answered a TLS-ALPN-01 validation handshake from {}", socket.getRemoteSocketAddress());
        } catch (IOException e) {
            LOG.debug("A handshake on the TLS-ALPN-01 listener failed: {}", e.toString());
        }
    }

    private static void close(SSLSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Stops listening and drops connections in progress. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("Closing the TLS-ALPN-01 listener: {}", e.toString());
        }
        handshakes.shutdownNow();
    }
}
