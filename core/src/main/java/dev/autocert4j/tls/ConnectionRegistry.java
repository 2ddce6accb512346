package dev.autocert4j.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The connections a {@link GuardedTlsServer} holds, counted in all and per client address. When
 * full, the connection that has waited longest on its client makes room for a new one, so
 * connections held open by others never shut a new client out.
 */
final class ConnectionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);

    /** Makes the connection for an accepted socket. */
    @FunctionalInterface
    interface ConnectionFactory {
        TrackedConnection create(Socket socket) throws IOException;
    }

    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final Set<TrackedConnection> open = new LinkedHashSet<>();
    private final Map<InetAddress, Integer> openPerAddress = new HashMap<>();

    ConnectionRegistry(int maxConnections, int maxConnectionsPerAddress) {
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    /**
     * Registers a new connection, making room if full.
     *
     * @return the connection, or null when it must be refused
     */
    TrackedConnection admit(Socket socket, ConnectionFactory factory) throws IOException {
        InetAddress address = socket.getInetAddress();
        TrackedConnection evicted = null;
        TrackedConnection admitted;
        synchronized (this) {
            int fromAddress = openPerAddress.getOrDefault(address, 0);
            if (fromAddress >= maxConnectionsPerAddress) {
                LOG.debug("Refused a TLS connection from {}: it holds {} already", address, fromAddress);
                return null;
            }
            if (open.size() >= maxConnections) {
                evicted = longestWaiting();
                if (evicted == null) {
                    LOG.debug("Refused a TLS connection from {}: {} connections, all busy", address, open.size());
                    return null;
                }
                forget(evicted);
            }
            admitted = factory.create(socket);
            open.add(admitted);
            openPerAddress.merge(address, 1, Integer::sum);
        }
        if (evicted != null) {
            LOG.debug("Dropped the TLS connection from {} that waited longest, to make room", evicted.remote);
            evicted.tls.closeSocket();
        }
        return admitted;
    }

    /** Forgets a connection that ended; nothing if it was dropped already. */
    synchronized void release(TrackedConnection connection) {
        if (open.contains(connection)) {
            forget(connection);
        }
    }

    synchronized int size() {
        return open.size();
    }

    synchronized Set<TrackedConnection> snapshot() {
        return Set.copyOf(open);
    }

    private TrackedConnection longestWaiting() {
        TrackedConnection longest = null;
        for (TrackedConnection candidate : open) {
            long since = candidate.waitingSince();
            if (since != 0 && (longest == null || since - longest.waitingSince() < 0)) {
                longest = candidate;
            }
        }
        return longest;
    }

    private void forget(TrackedConnection connection) {
        open.remove(connection);
        openPerAddress.computeIfPresent(connection.remote.getAddress(), (key, count) -> count > 1 ? count - 1 : null);
    }
}
