package dev.autocert4j.jetty;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.util.thread.Scheduler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Guards an HTTPS connector against slow clients where Jetty has no setting of its own: each TLS
 * connection must finish its handshake within a deadline (the idle timeout alone lets a client that
 * drips its hello hold the connection for ever), and one client address holds at most a number of
 * connections; the one over the cap is closed as soon as it opens.
 */
final class HttpsConnectionGuard implements Connection.Listener {

    private final Scheduler scheduler;
    private final Duration handshakeTimeout;
    private final int maxConnectionsPerAddress;
    private final Map<Connection, InetAddress> addresses = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    HttpsConnectionGuard(Scheduler scheduler, Duration handshakeTimeout, int maxConnectionsPerAddress) {
        this.scheduler = scheduler;
        this.handshakeTimeout = handshakeTimeout;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection instanceof SslConnection tls)) {
            return; // the connections that follow the TLS one on the same socket
        }
        InetAddress address = addressOf(tls.getEndPoint().getRemoteSocketAddress());
        if (address != null) {
            addresses.put(tls, address);
            if (perAddress.merge(address, 1, Integer::sum) > maxConnectionsPerAddress) {
                tls.getEndPoint().close(); // onClosed counts it down
                return;
            }
        }
        Scheduler.Task deadline = scheduler.schedule(() -> tls.getEndPoint().close(),
                handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        tls.addHandshakeListener(new SslHandshakeListener() {
            @Override
            public void handshakeSucceeded(Event event) {
                deadline.cancel();
            }
        });
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = addresses.remove(connection);
        if (address != null) {
            perAddress.computeIfPresent(address, (a, held) -> held == 1 ? null : held - 1);
        }
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
