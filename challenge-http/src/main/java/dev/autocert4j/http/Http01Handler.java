package dev.autocert4j.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Serves an {@link Http01Responder} on the JDK HTTP server: 200 with the key authorization as
 * {@code text/plain}, or 404 with no body. Never redirects.
 */
final class Http01Handler implements HttpHandler {

    private final Http01Responder responder;

    Http01Handler(Http01Responder responder) {
        this.responder = responder;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            drain(exchange);
            String method = exchange.getRequestMethod();
            Optional<String> answer = exchange.getRequestURI().getRawQuery() == null
                    ? responder.answer(method, exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Host"), clientAddress(exchange))
                    : Optional.empty();
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (answer.isEmpty()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = answer.get().getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static InetAddress clientAddress(HttpExchange exchange) {
        InetSocketAddress remote = exchange.getRemoteAddress();
        return remote == null ? null : remote.getAddress();
    }

    /** Reads and discards at most a small request body, so the connection can be reused. */
    private static void drain(HttpExchange exchange) throws IOException {
        byte[] buffer = new byte[1024];
        int total = 0;
        var in = exchange.getRequestBody();
        int read;
        while (total < 8192 && (read = in.read(buffer)) != -1) {
            total += read;
        }
    }
}
