package dev.autocert4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free loopback ports for tests that must name a port before anything listens on it (a Pebble
 * validating there, a load balancer in front of it).
 *
 * @since 0.2.0
 */
public final class Ports {

    private Ports() {
    }

    /**
     * @return a port on 127.0.0.1 nothing listens on right now
     * @throws UncheckedIOException if no port can be had
     */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
