package dev.autocert4j.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.function.Consumer;

/**
 * Accepts connections until its server socket is closed, handing each on. When accepting fails
 * (out of file descriptors, say) it pauses, doubling up to a second, instead of spinning.
 */
final class AcceptLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptLoop.class);
    private static final long FIRST_PAUSE_MILLIS = 10;
    private static final long LONGEST_PAUSE_MILLIS = 1_000;
    private static final long STOP_WAIT_MILLIS = 5_000;

    private final ServerSocket server;
    private final Consumer<Socket> accepted;

    AcceptLoop(ServerSocket server, Consumer<Socket> accepted) {
        this.server = server;
        this.accepted = accepted;
    }

    @Override
    public void run() {
        long pauseMillis = FIRST_PAUSE_MILLIS;
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
                pauseMillis = FIRST_PAUSE_MILLIS;
            } catch (SocketException closed) {
                if (server.isClosed()) {
                    return;
                }
                pauseMillis = pause(pauseMillis, closed);
                continue;
            } catch (IOException e) {
                pauseMillis = pause(pauseMillis, e);
                continue;
            }
            accepted.accept(socket);
        }
    }

    /**
     * Closes the server socket and waits for the loop's thread to leave {@code accept()}: until it
     * has, the kernel keeps the listening socket, so the port would still take connections and
     * could not be bound again by whoever comes next (a host opening its HTTPS port, say).
     */
    static void stop(ServerSocket server, Thread loop) {
        try {
            server.close();
            if (Thread.currentThread() != loop) {
                loop.join(STOP_WAIT_MILLIS);
            }
        } catch (IOException e) {
            LOG.debug("Closing a TLS listener: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long pause(long millis, IOException cause) {
        LOG.debug("Accepting a TLS connection failed, pausing {} ms: {}", millis, cause.toString());
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Math.min(millis * 2, LONGEST_PAUSE_MILLIS);
    }
}
