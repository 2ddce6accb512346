package dev.autocert4j.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.autocert4j.Binding;
import dev.autocert4j.BindingProvider;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.ReloadingKeyManager;
import dev.autocert4j.http.Http01Responder;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo's web portal on the JDK HTTP server: plain HTTP on every {@code --listen} port (with
 * the ACME challenge path mounted ahead of everything else), and HTTPS on the chosen port once a
 * certificate is installed. Certificates are swapped live through a {@link ReloadingKeyManager}.
 */
final class DemoPortal implements BindingProvider, AutoCloseable {

    private final List<Binding> bindings;
    private final String bindAddress;
    private final Http01Responder responder;
    private final boolean forceHttps;
    private final boolean hsts;
    private final ReloadingKeyManager keyManager = new ReloadingKeyManager();
    private final ExecutorService executor = Executors.newFixedThreadPool(8, daemon("autocert4j-demo-http"));
    private final List<HttpServer> httpServers = new ArrayList<>();
    private volatile HttpsServer httpsServer;
    private volatile Binding httpsBinding;

    DemoPortal(List<Binding> bindings, String bindAddress, Http01Responder responder, boolean forceHttps, boolean hsts) {
        this.bindings = List.copyOf(bindings);
        this.bindAddress = bindAddress;
        this.responder = responder;
        this.forceHttps = forceHttps;
        this.hsts = hsts;
    }

    /** Starts a plain HTTP listener on each distinct port of the bindings. */
    void start() throws IOException {
        Set<Integer> ports = new LinkedHashSet<>();
        bindings.forEach(b -> ports.add(b.port()));
        for (int port : ports) {
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
            } catch (IOException e) {
                throw new IOException("Cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
            }
            server.setExecutor(executor);
            server.createContext(Http01Responder.PATH_PREFIX, responder.handler());
            server.createContext("/", this::servePlainHttp);
            server.start();
            httpServers.add(server);
        }
    }

    @Override
    public List<Binding> bindings() {
        return bindings;
    }

    @Override
    public synchronized InstallResult install(Binding binding, IssuedCertificate certificate) throws IOException {
        keyManager.update(certificate);
        if (httpsServer == null) {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(bindAddress, binding.port()), 64);
            server.setHttpsConfigurator(new HttpsConfigurator(keyManager.sslContext()));
            server.setExecutor(executor);
            server.createContext("/", this::serveHttps);
            server.start();
            httpsServer = server;
            httpsBinding = binding;
        }
        return InstallResult.LIVE;
    }

    private void servePlainHttp(HttpExchange exchange) throws IOException {
        Binding https = httpsBinding;
        if (forceHttps && https != null) {
            String host = hostWithoutPort(exchange);
            exchange.getResponseHeaders().set("Location",
                    "https://" + host + ":" + https.port() + exchange.getRequestURI().getRawPath());
            exchange.sendResponseHeaders(301, -1);
            exchange.close();
            return;
        }
        String link = https == null ? "<p>No certificate yet: HTTPS opens once the admin has configured Let's Encrypt.</p>"
                : "<p>Secure version: <a href=\"" + https.uri() + "\">" + https + "</a></p>";
        send(exchange, 200, page("autocert4j demo portal", "<h1>autocert4j demo portal</h1>"
                + "<p>You are on plain HTTP.</p>" + link));
    }

    private void serveHttps(HttpExchange exchange) throws IOException {
        if (hsts) {
            exchange.getResponseHeaders().set("Strict-Transport-Security", "max-age=31536000");
        }
        String serial = keyManager.current().map(c -> c.metadata().serialNumber()).orElse("none");
        send(exchange, 200, page("autocert4j demo portal", "<h1>autocert4j demo portal</h1>"
                + "<p>Served over HTTPS with the certificate serial <code>" + serial + "</code>.</p>"));
    }

    private static String hostWithoutPort(HttpExchange exchange) {
        String host = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host")).orElse("localhost");
        int colon = host.lastIndexOf(':');
        return colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
    }

    static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.escape(title)
                + "</title><style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}"
                + "table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}"
                + ".error{color:#a00;white-space:pre-wrap}.ok{color:#070}label{display:block;margin:.6rem 0}"
                + "fieldset{border:1px solid #ccc;padding:1rem}</style></head><body>" + body + "</body></html>";
    }

    static void send(HttpExchange exchange, int status, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        httpServers.forEach(server -> server.stop(0));
        if (httpsServer != null) {
            httpsServer.stop(0);
        }
        executor.shutdownNow();
    }
}
