package dev.autocert4j.http;

import dev.autocert4j.spi.NamedThreads;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small plain-HTTP server that answers ACME HTTP-01 challenges, for hosts that have no HTTP
 * server of their own on port 80 (or whose server cannot be trusted to answer a challenge under
 * load). Every other request gets 404, or whatever {@link Builder#otherRequests} answers, such as a
 * redirect to HTTPS. It is built so that slow or hostile clients cannot keep the CA out:
 * <ul>
 *   <li>a request head must arrive within 2 seconds and fit in 8 KiB; one request per connection;</li>
 *   <li>at most 64 connections at once, and at most 32 from one address (enough for a CA that
 *       validates many names of one host at once from one address);</li>
 *   <li>when full, the connection that has waited longest for its head is dropped to make room,
 *       so a burst of idle connections cannot shut out a validation request;</li>
 *   <li>the head is read up to the blank line only; a request with two {@code Host} headers, or a
 *       malformed one, gets 400;</li>
 *   <li>when accepting fails (out of file descriptors), it backs off instead of spinning.</li>
 * </ul>
 *
 * <pre>{@code
 * Http01Responder responder = new Http01Responder();
 * try (Http01Listener listener = Http01Listener.start(responder, new InetSocketAddress(80))) {
 *     // enroll with .challengeSolver(responder)
 * }
 * }</pre>
 */
public final class Http01Listener implements AutoCloseable {

    static final int MAX_HEAD_BYTES = 8192;
    static final int DEFAULT_MAX_CONNECTIONS = 64;
    // a CA validating many names at once sends that many requests from one address
    static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 32;
    static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(2);
    static final Duration LONGEST_ACCEPT_PAUSE = Duration.ofSeconds(1);

    /** A request that is not for a published challenge token. */
    public static final class Request {
        private final String method;
        private final String path;
        private final String host;

        Request(String method, String path, String host) {
            this.method = method;
            this.path = path;
            this.host = host;
        }

        /** @return the HTTP method, such as {@code GET} */
        public String method() {
            return method;
        }

        /** @return the request target as sent (path and query), never decoded */
        public String path() {
            return path;
        }

        /** @return the {@code Host} header, or {@code null} if there was none */
        public String host() {
            return host;
        }
    }

    /** What to answer a request that is not for a challenge. Immutable. */
    public static final class Response {
        private final int status;
        private final Map<String, String> headers;
        private final byte[] body;

        private Response(int status, Map<String, String> headers, byte[] body) {
            this.status = status;
            this.headers = Map.copyOf(headers);
            this.body = body.clone();
        }

        /**
         * @param status      the HTTP status
         * @param contentType the body's content type, such as {@code text/html; charset=utf-8}
         * @param body        the body
         * @return a response with that body
         */
        public static Response of(int status, String contentType, String body) {
            return new Response(status, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * @param location where to send the client, an absolute URL
         * @return a 301 redirect
         */
        public static Response redirect(String location) {
            Objects.requireNonNull(location, "location");
            if (location.contains("\r") || location.contains("\n")) {
                throw new IllegalArgumentException("a redirect location must be one line");
            }
            return new Response(301, Map.of("Location", location), new byte[0]);
        }

        /** @return a 404 with no body */
        public static Response notFound() {
            return new Response(404, Map.of(), new byte[0]);
        }

        /**
         * @param name  a header name
         * @param value its value, one line
         * @return a copy with that header added
         */
        public Response withHeader(String name, String value) {
            if ((name + value).contains("\r") || (name + value).contains("\n")) {
                throw new IllegalArgumentException("a header must be one line");
            }
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, more, body);
        }
    }

    /** Answers the requests that are not for a published challenge token. */
    @FunctionalInterface
    public interface OtherRequests {
        /**
         * @param request the request
         * @return what to answer; called on a connection's own thread
         */
        Response answer(Request request);
    }

    /** Pauses the accept loop after a failure; tests replace it. */
    @FunctionalInterface
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    /** One open connection, for the limits and for closing them all. */
    private static final class Connection {
        final Socket socket;
        final InetAddress remote;
        final long openedAt = System.nanoTime();
        volatile boolean headRead;

        Connection(Socket socket) {
            this.socket = socket;
            this.remote = socket.getInetAddress();
        }
    }

    private final Http01Responder responder;
    private final OtherRequests otherRequests;
    private final ServerSocket serverSocket;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final Duration headTimeout;
    private final Pause pause;
    private final ExecutorService workers;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private Http01Listener(Builder builder, ServerSocket serverSocket) {
        this.responder = builder.responder;
        this.otherRequests = builder.otherRequests;
        this.serverSocket = serverSocket;
        this.maxConnections = builder.maxConnections;
        this.maxConnectionsPerAddress = builder.maxConnectionsPerAddress;
        this.headTimeout = builder.headTimeout;
        this.pause = builder.pause;
        this.workers = Executors.newCachedThreadPool(NamedThreads.daemon("autocert4j-http01"));
        this.acceptor = NamedThreads.daemon("autocert4j-http01-accept").newThread(this::acceptLoop);
    }

    /**
     * Binds the address and starts answering challenges, with every other request getting 404.
     *
     * @param responder the tokens to serve
     * @param address   where to listen, such as {@code new InetSocketAddress(80)} for all interfaces
     * @return the running listener
     * @throws IOException if the address cannot be bound (in use, or a privileged port)
     */
    public static Http01Listener start(Http01Responder responder, InetSocketAddress address) throws IOException {
        return builder(responder).address(address).start();
    }

    /**
     * @param responder the tokens to serve
     * @return a builder for a listener with more than the defaults
     */
    public static Builder builder(Http01Responder responder) {
        return new Builder(responder);
    }

    private void acceptLoop() {
        Duration nextPause = Duration.ofMillis(10);
        while (!serverSocket.isClosed()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
                nextPause = Duration.ofMillis(10);
            } catch (IOException e) {
                if (serverSocket.isClosed()) {
                    return;
                }
                // out of file descriptors, or a reset before accept: do not spin at 100 % of a core
                try {
                    pause.pause(nextPause);
                } catch (InterruptedException interrupted) {
                    return;
                }
                nextPause = nextPause.multipliedBy(2).compareTo(LONGEST_ACCEPT_PAUSE) > 0 ? LONGEST_ACCEPT_PAUSE
                        : nextPause.multipliedBy(2);
                continue;
            }
            admit(socket);
        }
    }

    private void admit(Socket socket) {
        Connection connection = new Connection(socket);
        // only this thread adds to the open set, so the count below can only fall while admitting
        if (connectionsFrom(connection.remote) >= maxConnectionsPerAddress) {
            closeQuietly(socket);
            return;
        }
        if (open.size() >= maxConnections && !evictLongestWaiting()) {
            closeQuietly(socket); // full of requests being answered: shed the newest
            return;
        }
        open.add(connection);
        try {
            workers.execute(() -> {
                try {
                    serve(connection);
                } finally {
                    open.remove(connection);
                    closeQuietly(socket);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            open.remove(connection);
            closeQuietly(socket); // closing
        }
    }

    private long connectionsFrom(InetAddress remote) {
        return open.stream().filter(open -> open.remote.equals(remote)).count();
    }

    /**
     * Closes the connection that has waited longest for its request head, if there is one. It
     * leaves the open set at once, not when its thread notices, so that it counts only once.
     */
    private boolean evictLongestWaiting() {
        while (true) {
            Optional<Connection> idle = open.stream().filter(c -> !c.headRead)
                    .min(Comparator.comparingLong(c -> c.openedAt));
            if (idle.isEmpty()) {
                return false;
            }
            if (open.remove(idle.get())) {
                closeQuietly(idle.get().socket);
                return true;
            }
        }
    }

    private void serve(Connection connection) {
        long deadline = System.nanoTime() + headTimeout.toNanos();
        try {
            Socket socket = connection.socket;
            Head head = readHead(socket, deadline);
            connection.headRead = true;
            socket.setSoTimeout((int) headTimeout.toMillis());
            respond(socket.getOutputStream(), head, connection.remote);
        } catch (IOException e) {
            // the client went away, was too slow, or was dropped to make room: nothing to answer
        }
    }

    /** What the request head said, or why it cannot be answered. */
    record Head(String method, String target, String host, boolean malformed) {
        static Head bad() {
            return new Head("GET", "", null, true);
        }
    }

    private static Head readHead(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[MAX_HEAD_BYTES];
        int length = 0;
        int end;
        while ((end = headEnd(buffer, length)) < 0) {
            long left = deadline - System.nanoTime();
            if (length == buffer.length) {
                return Head.bad();
            }
            if (left <= 0) {
                throw new SocketTimeoutException("no request head within the time allowed");
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                throw new IOException("the client closed the connection");
            }
            length += read;
        }
        return parseHead(new String(buffer, 0, end, StandardCharsets.ISO_8859_1));
    }

    /** @return the index of the blank line ending the head, or -1 if it has not arrived yet */
    private static int headEnd(byte[] buffer, int length) {
        for (int i = 3; i < length; i++) {
            if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n') {
                return i - 3;
            }
        }
        return -1;
    }

    /** Parses the head up to, not including, the blank line. */
    static Head parseHead(String head) {
        String[] lines = head.split("\r\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.") || requestLine[0].isEmpty()
                || !requestLine[1].startsWith("/")) {
            return Head.bad();
        }
        String host = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                return Head.bad();
            }
            if (lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("host")) {
                if (host != null) {
                    return Head.bad(); // two Host headers: which one would the CA's request mean?
                }
                host = lines[i].substring(colon + 1).strip();
            }
        }
        return new Head(requestLine[0], requestLine[1], host, false);
    }

    private void respond(OutputStream out, Head head, InetAddress client) throws IOException {
        if (head.malformed()) {
            write(out, "GET", 400, Map.of(), new byte[0]);
            return;
        }
        Optional<String> answer = head.target().contains("?") || head.target().contains("#") ? Optional.empty()
                : responder.answer(head.method(), head.target(), head.host(), client);
        if (answer.isPresent()) {
            write(out, head.method(), 200, Map.of("Content-Type", "text/plain"),
                    answer.get().getBytes(StandardCharsets.US_ASCII));
            return;
        }
        boolean challengePath = head.target().startsWith(Http01Responder.PATH_PREFIX);
        Response other = otherRequests == null || challengePath ? Response.notFound()
                : otherRequests.answer(new Request(head.method(), head.target(), head.host()));
        write(out, head.method(), other.status, other.headers, other.body);
    }

    private static void write(OutputStream out, String method, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n")
                .append("Cache-Control: no-store\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!method.equals("HEAD")) {
            out.write(body);
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 301 -> "Moved Permanently";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            default -> "Status";
        };
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

    /** @return how many connections are open right now */
    public int openConnections() {
        return open.size();
    }

    /** Stops listening, closes every open connection and ends the worker threads. */
    @Override
    public void close() {
        closeQuietly(serverSocket);
        for (Connection connection : open) {
            open.remove(connection);
            closeQuietly(connection.socket);
        }
        workers.shutdownNow();
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Builds an {@link Http01Listener}; every setting has a safe default. */
    public static final class Builder {
        private final Http01Responder responder;
        private InetSocketAddress address = new InetSocketAddress(80);
        private OtherRequests otherRequests;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private Duration headTimeout = DEFAULT_HEAD_TIMEOUT;
        private Pause pause = duration -> Thread.sleep(duration.toMillis());

        private Builder(Http01Responder responder) {
            this.responder = Objects.requireNonNull(responder, "responder");
        }

        /**
         * @param address where to listen; default port 80 on all interfaces
         * @return this builder
         */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Answers requests that are not for a published challenge token, such as a home page or
         * a redirect to HTTPS; without it they get 404. Requests under
         * {@code /.well-known/acme-challenge/} never reach it.
         *
         * @param otherRequests the answerer
         * @return this builder
         */
        public Builder otherRequests(OtherRequests otherRequests) {
            this.otherRequests = Objects.requireNonNull(otherRequests, "otherRequests");
            return this;
        }

        /**
         * @param max connections open at once, at least 1; default 64
         * @return this builder
         */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1");
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * @param max connections open at once from one address, at least 1; default 32. Keep it above
         *            the number of names the host validates at once ({@code concurrentIssuance}),
         *            since the CA may send all their validation requests from one address
         * @return this builder
         */
        public Builder maxConnectionsPerAddress(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1");
            }
            this.maxConnectionsPerAddress = max;
            return this;
        }

        /**
         * @param timeout how long a client has to send its request head; default 2 s
         * @return this builder
         */
        public Builder headTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("headTimeout must be positive");
            }
            this.headTimeout = timeout;
            return this;
        }

        Builder pause(Pause pause) {
            this.pause = Objects.requireNonNull(pause, "pause");
            return this;
        }

        /**
         * Binds the address and starts answering.
         *
         * @return the running listener
         * @throws IOException if the address cannot be bound (in use, or a privileged port)
         */
        public Http01Listener start() throws IOException {
            return start(new ServerSocket());
        }

        Http01Listener start(ServerSocket socket) throws IOException {
            try {
                socket.setReuseAddress(true);
                socket.bind(address, 128);
            } catch (IOException e) {
                socket.close();
                throw new IOException("Cannot listen for HTTP-01 challenges on " + address + ": " + e.getMessage()
                        + " (is the port in use, or below 1024 without the right to bind it?)", e);
            }
            Http01Listener listener = new Http01Listener(this, socket);
            listener.acceptor.start();
            return listener;
        }
    }
}
