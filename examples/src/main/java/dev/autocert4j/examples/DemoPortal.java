package dev.autocert4j.examples;

import com.sun.net.httpserver.HttpExchange;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.http.Http01Listener;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.tls.GuardedTlsServer;
import dev.autocert4j.tls.SniKeyManager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The demo's web portal. Plain HTTP on every {@code --listen} port is served by the hardened
 * {@link Http01Listener}: challenges first, never redirected, and slow clients cannot starve them;
 * other requests get the home page, or a redirect to HTTPS built from the configured binding (never
 * from the client's {@code Host} header). HTTPS opens on a certificate's port when it is first
 * installed, serving every certificate through one {@link SniKeyManager}, swapped live. HTTPS runs
 * on a {@link GuardedTlsServer}: strong TLS only, a handshake deadline, idle timeouts and caps per
 * address, so slow clients cannot keep visitors or a TLS-ALPN-01 validator out; one request per
 * connection, its head read within the idle timeout and at most 8 KiB.
 */
final class DemoPortal implements BindingProvider, AutoCloseable {

    private final List<Binding> bindings;
    private final String bindAddress;
    private final Http01Responder responder;
    private final boolean forceHttps;
    private final boolean hsts;
    private final SniKeyManager keys = new SniKeyManager();
    private final List<Http01Listener> plainListeners = new ArrayList<>();
    private final Map<Integer, GuardedTlsServer> httpsServers = new ConcurrentHashMap<>();
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
        GuardedTlsServer server;
        try {
            server = GuardedTlsServer.builder(keys.sslContext()).address(new InetSocketAddress(bindAddress, port))
                    .applicationProtocols("http/1.1", SniKeyManager.ACME_TLS_1) // TLS-ALPN-01 validates here
                    .name("autocert4j-demo-https").handler(this::serveHttps).start();
        } catch (IOException e) {
            throw new IOException("cannot open HTTPS on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
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

    private static final int MAX_HEAD_BYTES = 8192;

    /** One request per connection; a validation handshake (acme-tls/1) is closed after its handshake. */
    private void serveHttps(GuardedTlsServer.Connection connection) throws IOException {
        if (SniKeyManager.ACME_TLS_1.equals(connection.applicationProtocol())) {
            return;
        }
        String head = readHead(connection.input());
        OutputStream out = connection.output();
        if (head == null || !head.matches("(?s)[A-Z]+ \\S+ HTTP/1\\.[01]\r\n.*")) {
            out.write(("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return;
        }
        String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
        boolean challengePath = path.startsWith(Http01Responder.PATH_PREFIX);
        String name = hostName(header(head, "host"));
        String serial = keys.certificateFor(name).map(c -> c.metadata().serialNumber()).orElse("none");
        byte[] body = page("autocert4j demo portal", "<h1>autocert4j demo portal</h1>"
                + "<p>Served over HTTPS with the certificate serial <code>" + Html.escape(serial) + "</code>.</p>")
                .getBytes(StandardCharsets.UTF_8);
        String headers = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n" + (hsts && !challengePath ? "Strict-Transport-Security: max-age=31536000\r\n" : "")
                + "\r\n";
        out.write(headers.getBytes(StandardCharsets.US_ASCII));
        if (!head.startsWith("HEAD ")) {
            out.write(body);
        }
    }

    /** The request head up to its blank line, or null if it is longer than 8 KiB or the client stops first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (head.size() < MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static String header(String head, String name) {
        String found = null;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                found = line.substring(colon + 1).trim();
            }
        }
        return found;
    }

    private static String hostName(String host) {
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
        httpsServers.values().forEach(GuardedTlsServer::close);
    }
}
