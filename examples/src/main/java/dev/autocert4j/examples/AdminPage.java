package dev.autocert4j.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.ChallengeFailedException;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The admin's Certificates page, like a product's Configuration › Certificates: the bindings,
 * the current certificate, and a Configure form (binding, HTTPS port, Terms of Service, email).
 * Registration runs in the background while the page shows its progress.
 */
final class AdminPage implements HttpHandler {

    private static final int MAX_FORM_BYTES = 8192;

    /** What the last Register click is doing, for the progress line. */
    private record Job(boolean running, String stage, String error, String httpsUrl) {
    }

    private volatile AutoCert autoCert;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(DemoPortal.daemon("autocert4j-demo-enroll"));
    private volatile Job job = new Job(false, null, null, null);
    private volatile URI termsOfService;

    /**
     * Connects the page to the library; until then it has nothing to show. (The page exists first
     * because its progress listener is handed to the builder.)
     */
    void attach(AutoCert autoCert) {
        this.autoCert = autoCert;
    }

    /** @return a listener that turns the library's events into progress lines */
    AutoCertListener progressListener() {
        return new AutoCertListener() {
            @Override
            public void obtaining(String domain) {
                stage("Registering the account, validating " + domain + " and requesting the certificate…");
            }

            @Override
            public void obtained(IssuedCertificate certificate, boolean renewal) {
                stage("Installing the certificate…");
            }

            @Override
            public void installed(IssuedCertificate certificate, Binding httpsBinding, InstallResult result) {
                stage(result == InstallResult.LIVE ? "Installed." : "Installed; restart the portal to serve it.");
            }
        };
    }

    private void stage(String text) {
        Job current = job;
        if (current.running()) {
            job = new Job(true, text, null, null);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/admin") && method.equals("GET")) {
            DemoPortal.send(exchange, 200, DemoPortal.page("Certificates", render()));
        } else if (path.equals("/admin/configure") && method.equals("POST")) {
            configure(exchange);
        } else if (path.equals("/admin/state.json") && method.equals("GET")) {
            sendJson(exchange);
        } else {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        }
    }

    private void configure(HttpExchange exchange) throws IOException {
        Map<String, String> form = readForm(exchange);
        EnrollmentRequest request;
        try {
            EnrollmentRequest.Builder builder = EnrollmentRequest.builder()
                    .binding(Binding.parse(form.getOrDefault("binding", "")))
                    .email(form.getOrDefault("email", ""))
                    .termsOfServiceAccepted("on".equals(form.get("tos")));
            String port = form.getOrDefault("httpsPort", "").strip();
            if (!port.isEmpty()) {
                builder.httpsPort(parsePort(port));
            }
            request = builder.build();
        } catch (AutoCertException e) {
            job = new Job(false, null, e.getMessage(), null);
            redirect(exchange);
            return;
        }
        if (!job.running()) {
            job = new Job(true, "Starting…", null, null);
            worker.submit(() -> enroll(request));
        }
        redirect(exchange);
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1; // rejected by the builder with a message naming the field
        }
    }

    private void enroll(EnrollmentRequest request) {
        try {
            autoCert.enroll(request);
            job = new Job(false, "Done.", null, request.httpsBinding().uri().toString());
        } catch (AutoCertException e) {
            job = new Job(false, null, e.getMessage() + troubleshooting(e), null);
        } catch (RuntimeException e) {
            job = new Job(false, null, "Unexpected failure: " + e, null);
        }
    }

    private static String troubleshooting(AutoCertException e) {
        if (!(e instanceof ChallengeFailedException failed)) {
            return "";
        }
        return "\n\nTroubleshooting: open " + failed.challengeUrl() + " from outside your network; it must answer"
                + " on plain HTTP port 80 (check the firewall and port forwarding), must not redirect to HTTPS, and"
                + " no HSTS policy may apply to it. Also check that the DNS name points to this server and that"
                + " port 443 is open for the HTTPS binding afterwards.";
    }

    private String render() {
        StringBuilder html = new StringBuilder("<h1>Certificates</h1><h2>Bindings</h2><table><tr><th>Scheme</th><th>Host</th><th>Port</th></tr>");
        for (Binding binding : autoCert.bindings()) {
            html.append("<tr><td>").append(binding.scheme()).append("</td><td>").append(Html.escape(binding.host()))
                    .append("</td><td>").append(binding.port()).append("</td></tr>");
        }
        html.append("</table>");
        for (String domain : autoCert.managedDomains()) {
            html.append(statusTable(autoCert.status(domain)));
        }
        Job current = job;
        html.append("<p id=\"progress\" data-running=\"").append(current.running()).append("\">");
        if (current.stage() != null) {
            html.append(Html.escape(current.stage()));
        }
        if (current.httpsUrl() != null) {
            html.append(" <span class=\"ok\">The portal is now on <a id=\"https-url\" href=\"").append(Html.escape(current.httpsUrl()))
                    .append("\">").append(Html.escape(current.httpsUrl())).append("</a></span>");
        }
        html.append("</p>");
        if (current.error() != null) {
            html.append("<p id=\"error\" class=\"error\">").append(Html.escape(current.error())).append("</p>");
        }
        html.append(configureForm()).append(POLL_SCRIPT);
        return html.toString();
    }

    private static String statusTable(CertificateStatus status) {
        return "<h2>Certificate for " + Html.escape(status.domain()) + "</h2><table id=\"certificate\">"
                + row("Last renewed", status.lastRenewed()) + row("Expires", status.notAfter())
                + row("Issuer", status.issuer()) + row("Serial", status.serialNumber())
                + row("Next check", status.nextCheck())
                + row("Last error", status.lastError() == null ? "none" : status.lastError()) + "</table>";
    }

    private static String row(String name, Object value) {
        if (value instanceof java.time.Instant instant) {
            value = instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        }
        return "<tr><th>" + name + "</th><td data-field=\"" + name + "\">" + Html.escape(value == null ? "—" : value) + "</td></tr>";
    }

    private String configureForm() {
        StringBuilder form = new StringBuilder("<h2>Configure Let's Encrypt</h2><form method=\"post\" action=\"/admin/configure\"><fieldset>"
                + "<label>Binding <select name=\"binding\" id=\"binding\">");
        for (Binding binding : autoCert.bindings()) {
            form.append("<option>").append(Html.escape(binding)).append("</option>");
        }
        form.append("</select></label>")
                .append("<label>HTTPS port (for an HTTP binding) <input name=\"httpsPort\" id=\"httpsPort\" value=\"443\" size=\"6\"></label>")
                .append("<label><input type=\"checkbox\" name=\"tos\" id=\"tos\"> I accept the ")
                .append(termsLink()).append("</label>")
                .append("<label>Registration email <input name=\"email\" id=\"email\" type=\"email\" size=\"30\"></label>")
                .append("<button type=\"submit\" id=\"register\">Register</button></fieldset></form>");
        return form.toString();
    }

    private String termsLink() {
        try {
            if (termsOfService == null) {
                termsOfService = autoCert.termsOfService().orElse(null);
            }
            return termsOfService == null ? "CA's Terms of Service (the CA publishes no link)"
                    : "<a id=\"tos-link\" href=\"" + Html.escape(termsOfService) + "\">" + Html.escape(autoCert.certificateAuthority().name())
                    + " Terms of Service</a>";
        } catch (AutoCertException e) {
            return "CA's Terms of Service <span class=\"error\">(cannot read them now: " + Html.escape(e.getMessage()) + ")</span>";
        }
    }

    private static final String POLL_SCRIPT = "<script>(function(){var p=document.getElementById('progress');"
            + "if(p.dataset.running!=='true')return;var t=setInterval(function(){fetch('/admin/state.json').then(function(r){return r.json();})"
            + ".then(function(s){p.textContent=s.stage||'';if(!s.running){clearInterval(t);location.reload();}});},250);})();</script>";

    private void sendJson(HttpExchange exchange) throws IOException {
        Job current = job;
        String json = "{\"running\":" + current.running() + ",\"stage\":" + (current.stage() == null ? "null" : StatusJson.quote(current.stage()))
                + ",\"error\":" + (current.error() == null ? "null" : StatusJson.quote(current.error())) + "}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void redirect(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Location", "/admin");
        exchange.sendResponseHeaders(303, -1);
        exchange.close();
    }

    private static Map<String, String> readForm(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_FORM_BYTES);
        }
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    void close() {
        worker.shutdownNow();
    }
}
