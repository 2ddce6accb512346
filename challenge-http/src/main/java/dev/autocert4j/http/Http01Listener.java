package dev.autocert4j.http;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A standalone plain-HTTP listener that answers only ACME HTTP-01 challenges, for hosts that have
 * no HTTP server of their own on port 80. Every other request gets 404.
 *
 * <pre>{@code
 * Http01Responder responder = new Http01Responder();
 * try (Http01Listener listener = Http01Listener.start(responder, new InetSocketAddress(80))) {
 *     // enroll with .challengeResponder(responder)
 * }
 * }</pre>
 */
public final class Http01Listener implements AutoCloseable {

    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;

    private Http01Listener(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds the address and starts answering.
     *
     * @param responder the tokens to serve
     * @param address   where to listen, such as {@code new InetSocketAddress(80)} for all interfaces
     * @return the running listener
     * @throws IOException if the address cannot be bound (in use, or a privileged port)
     */
    public static Http01Listener start(Http01Responder responder, InetSocketAddress address) throws IOException {
        Objects.requireNonNull(responder, "responder");
        Objects.requireNonNull(address, "address");
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (IOException e) {
            throw new IOException("Cannot listen for HTTP-01 challenges on " + address + ": " + e.getMessage()
                    + " (is the port in use, or below 1024 without the right to bind it?)", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.setExecutor(executor);
        server.createContext("/", responder.handler());
        server.start();
        return new Http01Listener(server, executor);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "autocert4j-http01-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** @return the address actually bound (with the port chosen if 0 was given) */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops listening and ends the worker threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
