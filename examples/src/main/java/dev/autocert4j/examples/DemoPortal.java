package dev.autocert4j.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.BindingProvider;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.http.Http01Listener;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.tls.SniKeyManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The demo's web portal. Plain HTTP on every {@code --listen} port is served by the hardened
 * {@link Http01Listener}: challenges first, never redirected, and slow clients cannot starve them;
 * other requests get the home page, or a redirect to HTTPS built from the configured binding (never
 * from the client's {@code Host} header). HTTPS opens on a certificate's port when it is first
 * installed, serving every certificate through one {@link SniKeyManager}, swapped live.
 */
final class DemoPortal implements BindingProvider, AutoCloseable {

    private final List<Binding> bindings;
    private final String bindAddress;
    private final Http01Responder responder;
    private final boolean forceHttps;
    private final boolean hsts;
    private final SniKeyManager keys = new SniKeyManager();
    private final ExecutorService httpsExecutor = Executors.newFixedThreadPool(8, daemon("autocert4j-demo-https"));
    private final List<Http01Listener> plainListeners = new ArrayList<>();
    private final Map<Integer, HttpsServer> httpsServers = new ConcurrentHashMap<>();
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
            plainListeners.add(Http01Listener.builder(responder).address(new InetSocketAddress(bindAddress, port))
                    .otherRequests(this::servePlainHttp).start());
        }
    }

    /** @return the key manager serving the portal's HTTPS certificates */
    SniKeyManager keys() {
        return keys;
    }

    @Override
    public List<Binding> bindings() {
        return bindings;
    }

    /**
     * Puts the certificate on the HTTPS listener of the binding's port, opening it first if needed;
     * answers LIVE only once that listener accepts connections.
     */
    @Override
    public synchronized InstallResult install(Binding binding, IssuedCertificate certificate) throws IOException {
        keys.put(certificate);
        return serveOn(binding);
    }

    /** Serves a stored certificate by its metadata, its key decrypted at the first handshake that needs it. */
    @Override
    public synchronized InstallResult installStored(Binding binding, CertificateMetadata metadata,
                                                    Supplier<IssuedCertificate> loader) throws IOException {
        keys.putLazily(metadata, loader);
        return serveOn(binding);
    }

    /** Stops serving a certificate for these names (the admin deleted it). */
    @Override
    public void uninstall(Binding binding, List<String> names) {
        names.forEach(keys::remove);
    }

    private InstallResult serveOn(Binding binding) throws IOException {
        openHttps(binding.port());
        if (httpsBinding == null) {
            httpsBinding = binding;
        }
        return InstallResult.LIVE;
    }

    /**
     * Opens HTTPS on a port if it is not open yet: at the first install, or before the first
     * certificate when TLS-ALPN-01 validates on it (a temporary certificate until then).
     */
    synchronized void openHttps(int port) throws IOException {
        if (httpsServers.containsKey(port)) {
            return;
        }
        HttpsServer server;
        try {
            server = HttpsServer.create(new InetSocketAddress(bindAddress, port), 64);
        } catch (IOException e) {
            throw new IOException("cannot open HTTPS on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(keys.sslContext()) {
            @Override
            public void configure(HttpsParameters parameters) {
                parameters.setSSLParameters(SniKeyManager.offeringAcmeTls1(getSSLContext().getDefaultSSLParameters()));
            }
        });
        server.setExecutor(httpsExecutor);
        server.createContext("/", this::serveHttps);
        server.start();
        httpsServers.put(port, server);
    }

    private Http01Listener.Response servePlainHttp(Http01Listener.Request request) {
        Binding https = httpsBinding;
        if (forceHttps && https != null) {
            // the configured name and port, never the client's Host header: no open redirect
            String path = request.path().startsWith("/") ? request.path() : "/";
            return Http01Listener.Response.redirect("https://" + https.host() + ":" + https.port() + path);
        }
        String link = https == null ? "<p>No certificate yet: HTTPS opens once the admin has configured Let's Encrypt.</p>"
                : "<p>Secure version: <a href=\"" + Html.escape(https.uri()) + "\">" + Html.escape(https) + "</a></p>";
        return Http01Listener.Response.of(200, "text/html; charset=utf-8", page("autocert4j demo portal",
                "<h1>autocert4j demo portal</h1><p>You are on plain HTTP.</p>" + link));
    }

    private void serveHttps(HttpExchange exchange) throws IOException {
        boolean challengePath = exchange.getRequestURI().getRawPath().startsWith(Http01Responder.PATH_PREFIX);
        if (hsts && !challengePath) {
            exchange.getResponseHeaders().set("Strict-Transport-Security", "max-age=31536000");
        }
        String name = requestedName(exchange);
        String serial = keys.certificateFor(name).map(c -> c.metadata().serialNumber()).orElse("none");
        send(exchange, 200, page("autocert4j demo portal", "<h1>autocert4j demo portal</h1>"
                + "<p>Served over HTTPS with the certificate serial <code>" + Html.escape(serial) + "</code>.</p>"));
    }

    private static String requestedName(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return null;
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
    }

    static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.escape(title)
                + "</title><style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}"
                + "table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}"
                + ".error{color:#a00;white-space:pre-wrap}.ok{color:#070}label{display:block;margin:.6rem 0}"
                + "fieldset{border:1px solid #ccc;padding:1rem;margin-bottom:1rem}form.inline{display:inline}</style>"
                + "</head><body>" + body + "</body></html>";
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
        plainListeners.forEach(Http01Listener::close);
        httpsServers.values().forEach(server -> server.stop(0));
        httpsExecutor.shutdownNow();
    }
}
