package dev.autocert4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for tests that must name a port before anything listens on it (a Pebble
 * validating there, a load balancer in front of it, an HTTPS port opened after an enrollment).
 *
 * <p>The ports come from below the range the operating system hands out for outgoing connections
 * and for binds to port 0 (on Linux {@code /proc/sys/net/ipv4/ip_local_port_range}, usually from
 * 32768): a port taken from that range could be given to a browser's or a client's connection
 * before the test binds it, which fails the bind with "Address already in use". A port is handed
 * out once per JVM.
 *
 * @since 0.2.0
 */
public final class Ports {

    private static final int LOWEST = 20_000;
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * @return a port on 127.0.0.1 nothing listens on right now (TCP or UDP), outside the ephemeral range
     * @throws UncheckedIOException if no port can be had
     */
    public static int free() {
        int highest = firstEphemeralPort() - 1;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            if (HANDED_OUT.add(port)) {
                if (bindable(port)) {
                    return port;
                }
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port between " + LOWEST + " and " + highest
                + " after " + ATTEMPTS + " attempts"));
    }

    /** Free for TCP and for UDP: DNS servers (BIND, Pebble's test DNS) take the port for both. */
    private static boolean bindable(int port) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try (ServerSocket tcp = new ServerSocket(); DatagramSocket udp = new DatagramSocket(null)) {
            tcp.bind(address, 1);
            udp.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The low end of the operating system's ephemeral ports; 32768 where it cannot be read. */
    private static int firstEphemeralPort() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > LOWEST + 1_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
