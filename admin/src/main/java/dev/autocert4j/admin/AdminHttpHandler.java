package dev.autocert4j.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The admin page on the JDK's {@code com.sun.net.httpserver} server:
 * <pre>{@code
 * AdminConsole console = AdminConsole.builder(autoCert)
 *         .authenticator(AdminTokenLogin.readOrCreate(stateFolder)).build();
 * server.createContext(console.mountPath(), new AdminHttpHandler(console));
 * }</pre>
 */
public final class AdminHttpHandler implements HttpHandler {

    private final AdminConsole console;

    /**
     * Creates the handler.
     *
     * @param console the console to answer with; mount the handler at its {@link AdminConsole#mountPath()}
     */
    public AdminHttpHandler(AdminConsole console) {
        this.console = requireNonNull(console, "console");
    }

    /** Reads the exchange into a request, answers it with the console and writes the answer. */
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            AdminRequest.Builder request = AdminRequest.builder(exchange.getRequestMethod(), exchange.getRequestURI().getPath())
                    .remoteAddress(exchange.getRemoteAddress().getAddress())
                    .secure(exchange instanceof HttpsExchange).nativeRequest(exchange);
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                for (String value : header.getValue()) {
                    request.header(header.getKey(), value);
                }
            }
            try (InputStream body = exchange.getRequestBody()) {
                request.body(body.readNBytes(AdminRequest.MAX_BODY_BYTES + 1));
            }
            AdminResponse response = console.handle(request.build());
            for (Map.Entry<String, String> header : response.headers()) {
                exchange.getResponseHeaders().add(header.getKey(), header.getValue());
            }
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
