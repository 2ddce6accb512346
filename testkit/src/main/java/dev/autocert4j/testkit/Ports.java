package dev.autocert4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * out once per JVM, and never to two test JVMs at once (parallel test forks, or builds side by side):
 * each port handed out is reserved with a lock on a file in a shared folder of the temp directory,
 * held until the JVM ends, so a port another JVM has named but not bound yet is skipped.
 *
 * @since 0.2.0
 */
public final class Ports {

    private static final int LOWEST = 20_000;
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final Path RESERVATIONS = Path.of(System.getProperty("java.io.tmpdir"), "autocert4j-test-ports");
    /** The open channels whose locks reserve this JVM's ports: a lock lasts as long as its channel. */
    private static final List<FileChannel> RESERVED = new CopyOnWriteArrayList<>();

    private Ports() {
    }

    /**
     * @return a port on 127.0.0.1 nothing listens on right now (TCP or UDP), outside the ephemeral range
     * @throws UncheckedIOException if no port can be had
     */
    public static int free() {
        return free(LOWEST, firstEphemeralPort() - 1);
    }

    /** A free port from {@code lowest} to {@code highest}, both included. */
    static int free(int lowest, int highest) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(lowest, highest + 1);
            if (HANDED_OUT.add(port) && reserved(port) && bindable(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port between " + lowest + " and " + highest
                + " after " + ATTEMPTS + " attempts"));
    }

    /**
     * Reserves a port against other test JVMs until this one ends (the operating system drops the
     * lock then, even after a kill). Where the shared folder cannot be used, ports are not reserved
     * across JVMs and the bind check alone decides, as before.
     */
    private static boolean reserved(int port) {
        FileChannel channel;
        try {
            channel = FileChannel.open(reservationFolder().resolve(port + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return true;
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                RESERVED.add(channel);
                return true;
            }
        } catch (IOException | OverlappingFileLockException e) {
            // taken, or not lockable here: try another port
        }
        closeQuietly(channel);
        return false;
    }

    private static Path reservationFolder() throws IOException {
        if (!Files.isDirectory(RESERVATIONS)) {
            try {
                // shared by every test run on the machine, as the temp directory itself is
                Files.createDirectories(RESERVATIONS, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwxrwxrwx")));
            } catch (FileAlreadyExistsException e) {
                // another JVM made it first
            }
        }
        return RESERVATIONS;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was held
        }
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
