package dev.autocert4j.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A standalone plain-HTTP listener that answers only ACME HTTP-01 challenges, for hosts that have
 * no HTTP server of their own on port 80. Every other request gets 404. It reads at most 8 KiB of
 * request head, gives each connection 10 seconds in all, serves one request per connection, and
 * holds at most 64 connections at once, so slow or oversized requests cannot tie it up.
 *
 * <pre>{@code
 * Http01Responder responder = new Http01Responder();
 * try (Http01Listener listener = Http01Listener.start(responder, new InetSocketAddress(80))) {
 *     // enroll with .challengeResponder(responder)
 * }
 * }</pre>
 */
public final class Http01Listener implements AutoCloseable {

    static final int MAX_HEAD_BYTES = 8192;
    static final int MAX_CONNECTIONS = 64;
    static final Duration CONNECTION_TIME = Duration.ofSeconds(10);

    private final Http01Responder responder;
    private final ServerSocket serverSocket;
    private final ExecutorService workers;
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private final Thread acceptor;

    private Http01Listener(Http01Responder responder, ServerSocket serverSocket) {
        this.responder = responder;
        this.serverSocket = serverSocket;
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(runnable -> daemon(runnable, "autocert4j-http01-" + count.incrementAndGet()));
        this.acceptor = daemon(this::acceptLoop, "autocert4j-http01-accept");
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
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(address, 128);
        } catch (IOException e) {
            socket.close();
            throw new IOException("Cannot listen for HTTP-01 challenges on " + address + ": " + e.getMessage()
                    + " (is the port in use, or below 1024 without the right to bind it?)", e);
        }
        Http01Listener listener = new Http01Listener(responder, socket);
        listener.acceptor.start();
        return listener;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                continue; // closed, or a connection reset before accept
            }
            if (!connections.tryAcquire()) {
                closeQuietly(socket); // too many open: shed the newest rather than queue it
                continue;
            }
            workers.execute(() -> {
                try {
                    serve(socket);
                } finally {
                    connections.release();
                    closeQuietly(socket);
                }
            });
        }
    }

    private void serve(Socket socket) {
        long deadline = System.nanoTime() + CONNECTION_TIME.toNanos();
        try {
            socket.setSoTimeout((int) CONNECTION_TIME.toMillis());
            Optional<Request> request = readHead(socket.getInputStream(), deadline);
            Optional<String> answer = request.flatMap(r -> responder.answer(r.method(), r.path(), r.host()));
            respond(socket.getOutputStream(), request.map(Request::method).orElse("GET"), answer);
        } catch (IOException e) {
            // the client went away or was too slow: nothing to answer
        }
    }

    /** The parts of a request the responder needs. */
    record Request(String method, String path, String host) {
    }

    /** Reads the request line and headers; empty if they are malformed, too large, or too slow. */
    static Optional<Request> readHead(InputStream in, long deadline) throws IOException {
        byte[] head = new byte[MAX_HEAD_BYTES];
        int length = 0;
        while (!endsHead(head, length)) {
            if (length == head.length || System.nanoTime() > deadline) {
                return Optional.empty();
            }
            int read = in.read(head, length, head.length - length);
            if (read < 0) {
                return Optional.empty();
            }
            length += read;
        }
        String[] lines = new String(head, 0, length, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            return Optional.empty();
        }
        String target = requestLine[1];
        if (target.contains("?") || target.contains("#")) {
            return Optional.empty();
        }
        return Optional.of(new Request(requestLine[0], target, hostHeader(lines)));
    }

    private static boolean endsHead(byte[] head, int length) {
        for (int i = 3; i < length; i++) {
            if (head[i - 3] == '\r' && head[i - 2] == '\n' && head[i - 1] == '\r' && head[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    private static String hostHeader(String[] lines) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("host")) {
                return lines[i].substring(colon + 1).strip();
            }
        }
        return null;
    }

    private static void respond(OutputStream out, String method, Optional<String> answer) throws IOException {
        byte[] body = answer.map(a -> a.getBytes(StandardCharsets.US_ASCII)).orElse(new byte[0]);
        String status = answer.isPresent() ? "200 OK" : "404 Not Found";
        String head = "HTTP/1.1 " + status + "\r\n"
                + (answer.isPresent() ? "Content-Type: text/plain\r\n" : "")
                + "Content-Length: " + body.length + "\r\n"
                + "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        if (!method.equals("HEAD")) {
            out.write(body);
        }
        out.flush();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }

    /** @return the address actually bound (with the port chosen if 0 was given) */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    /** Stops listening, closes open connections and ends the worker threads. */
    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException e) {
            // already closed
        }
        workers.shutdownNow();
    }
}
