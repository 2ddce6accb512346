package dev.autocert4j.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.autocert4j.AccountRegistration;
import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.ChallengeFailedException;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.RegisteredAccount;
import dev.autocert4j.RevocationReason;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The admin's Certificates page, like a product's Configuration › Certificates: the bindings, each
 * certificate with Renew now, Revoke and Stop managing, the account's key rollover, and the
 * Configure form (binding, HTTPS port, Terms of Service, email). One action runs at a time, in the
 * background, while the page shows its progress. Every route needs the admin's session, opened
 * at the login form with the admin token; {@link AdminGuard} keeps everyone else, other pages and
 * other host names out.
 */
final class AdminPage implements HttpHandler {

    private static final int MAX_FORM_BYTES = 8192;

    /** What the last action is doing, for the progress line. */
    private record Job(boolean running, String stage, String error, String httpsUrl) {
    }

    /** A form that cannot be read. */
    private static final class BadForm extends Exception {
        BadForm(String message) {
            super(message);
        }
    }

    /** One of the page's routes: a method and an exact path. */
    record Route(String method, String path) {
    }

    /** What the page does on one route, for a logged-in admin. */
    @FunctionalInterface
    private interface RouteHandler {
        void handle(HttpExchange exchange, AdminGuard.Session session) throws IOException;
    }

    /** The login form and its answer: the only routes open without a session. */
    static final Set<Route> LOGIN_ROUTES = Set.of(new Route("GET", "/admin/login"), new Route("POST", "/admin/login"));

    private final Map<Route, RouteHandler> routes = new LinkedHashMap<>();
    private final Clock clock;
    private volatile AutoCert autoCert;
    private volatile AdminGuard guard;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(DemoPortal.daemon("autocert4j-demo-admin-job"));
    private volatile Job job = new Job(false, null, null, null);
    private volatile URI termsOfService;

    /** @param clock the time for sessions and login lockouts */
    AdminPage(Clock clock) {
        this.clock = clock;
        routes.put(new Route("GET", "/admin"), (exchange, session) -> {
            String nonce = AdminGuard.secureHeaders(exchange);
            DemoPortal.send(exchange, 200, DemoPortal.page("Certificates", render(session.csrfToken(), nonce)));
        });
        routes.put(new Route("GET", "/admin/state.json"), (exchange, session) -> sendJson(exchange));
        for (String action : List.of("configure", "renew", "revoke", "rollover", "unmanage", "logout")) {
            routes.put(new Route("POST", "/admin/" + action), (exchange, session) -> post(exchange, session, action));
        }
    }

    /**
     * Connects the page to the library, to the port it is served on and to the admin token; until
     * then it has nothing to show. (The page exists first because its progress listener is handed
     * to the builder.)
     */
    void attach(AutoCert autoCert, String scheme, int port, AdminToken token) {
        this.autoCert = autoCert;
        this.guard = new AdminGuard(scheme, port, token, clock);
    }

    /** @return every route that needs a logged-in session: all but {@link #LOGIN_ROUTES} */
    Set<Route> routes() {
        return Collections.unmodifiableSet(routes.keySet());
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
            public void installed(CertificateMetadata metadata, Binding httpsBinding, InstallResult result) {
                stage(result == InstallResult.LIVE ? "Installed." : "Installed; restart the portal to serve it.");
            }
        };
    }

    private void stage(String text) {
        if (job.running()) {
            job = new Job(true, text, null, null);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!guard.admitHost(exchange)) {
            return;
        }
        Route route = new Route(exchange.getRequestMethod(), exchange.getRequestURI().getPath());
        if (route.method().equals("POST") && !guard.admitOrigin(exchange)) {
            return;
        }
        if (LOGIN_ROUTES.contains(route)) {
            login(exchange, route.method().equals("POST"));
            return;
        }
        Optional<AdminGuard.Session> session = guard.session(exchange);
        if (session.isEmpty()) {
            refuseUnauthenticated(exchange, route);
            return;
        }
        RouteHandler handler = routes.get(route);
        if (handler == null) {
            AdminGuard.refuse(exchange, 404, "Not found.");
            return;
        }
        handler.handle(exchange, session.get());
    }

    /** Without a session: a page load gets the login form, anything else only a refusal. */
    private static void refuseUnauthenticated(HttpExchange exchange, Route route) throws IOException {
        if (route.method().equals("GET") && !route.path().endsWith(".json")) {
            sendLoginForm(exchange, 401, null);
        } else {
            AdminGuard.refuse(exchange, 401, "Log in first: open the admin page and give the admin token.");
        }
    }

    private void login(HttpExchange exchange, boolean submitted) throws IOException {
        if (!submitted) {
            sendLoginForm(exchange, 200, null);
            return;
        }
        Map<String, String> form;
        try {
            form = readForm(exchange);
        } catch (BadForm e) {
            AdminGuard.refuse(exchange, 400, e.getMessage());
            return;
        }
        AdminGuard.Login login = guard.logIn(exchange, form.get("token"));
        if (login instanceof AdminGuard.Login.LockedOut locked) {
            long seconds = Math.max(1, (locked.remaining().toMillis() + 999) / 1000);
            exchange.getResponseHeaders().set("Retry-After", String.valueOf(seconds));
            sendLoginForm(exchange, 429, "Too many failed logins from your address: try again in " + seconds + " s.");
        } else if (login instanceof AdminGuard.Login.Failed) {
            sendLoginForm(exchange, 401, "That is not the admin token.");
        } else {
            redirect(exchange);
        }
    }

    private static void sendLoginForm(HttpExchange exchange, int status, String error) throws IOException {
        AdminGuard.secureHeaders(exchange);
        DemoPortal.send(exchange, status, DemoPortal.page("Log in", "<h1>Log in to the admin page</h1>"
                + (error == null ? "" : "<p id=\"error\" class=\"error\">" + Html.escape(error) + "</p>")
                + "<p>The admin token is in the file the portal named when it started (<code>" + AdminToken.FILE_NAME
                + "</code> in its state folder, or the file given with <code>--admin-token-file</code>).</p>"
                + "<form method=\"post\" action=\"/admin/login\"><label>Admin token <input type=\"password\""
                + " name=\"token\" id=\"token\" size=\"50\" autocomplete=\"current-password\" autofocus></label>"
                + "<button type=\"submit\" id=\"login\">Log in</button></form>"));
    }

    private void post(HttpExchange exchange, AdminGuard.Session session, String action) throws IOException {
        Map<String, String> form;
        try {
            form = readForm(exchange);
        } catch (BadForm e) {
            AdminGuard.refuse(exchange, 400, e.getMessage());
            return;
        }
        if (!guard.admitCsrf(exchange, session, form.get("csrf"))) {
            return;
        }
        if (action.equals("logout")) {
            guard.logOut(exchange, session);
            redirect(exchange);
            return;
        }
        Runnable work;
        try {
            work = switch (action) {
                case "configure" -> configure(form);
                case "renew" -> renew(form.getOrDefault("domain", ""));
                case "revoke" -> revoke(form.getOrDefault("domain", ""), form.getOrDefault("reason", "superseded"));
                case "rollover" -> this::rollover;
                case "unmanage" -> unmanage(form.getOrDefault("domain", ""), "on".equals(form.get("delete")));
                default -> throw new IllegalStateException("no action " + action);
            };
        } catch (AutoCertException e) {
            job = new Job(false, null, e.getMessage(), null);
            redirect(exchange);
            return;
        }
        start(work);
        redirect(exchange);
    }

    /** Runs one action at a time; a click while another runs is refused with a word, not queued. */
    private synchronized void start(Runnable work) {
        if (job.running()) {
            job = new Job(true, job.stage(), "Another action is still running; wait until it has finished.", null);
            return;
        }
        job = new Job(true, "Starting…", null, null);
        worker.submit(() -> {
            try {
                work.run();
            } catch (AutoCertException e) {
                job = new Job(false, null, e.getMessage() + troubleshooting(e), null);
            } catch (RuntimeException e) {
                job = new Job(false, null, "Unexpected failure: " + e, null);
            }
        });
    }

    private Runnable configure(Map<String, String> form) {
        EnrollmentRequest.Builder builder = EnrollmentRequest.builder()
                .binding(Binding.parse(form.getOrDefault("binding", "")));
        AccountRegistration account = account(form, termsOfService); // checked now: bad input never reaches the CA
        Binding chosen = Binding.parse(form.getOrDefault("binding", ""));
        if (!autoCert.bindings().contains(chosen)) { // before the account is registered, not only at enroll
            throw new InvalidInputException("binding", chosen.toString(),
                    "is not one of the bindings the server listens on: " + autoCert.bindings());
        }
        String port = form.getOrDefault("httpsPort", "").strip();
        if (!port.isEmpty()) {
            builder.httpsPort(parsePort(port));
        }
        List<String> extraNames = java.util.Arrays.stream(form.getOrDefault("extraNames", "").split("[,\\s]+"))
                .map(String::strip).filter(name -> !name.isEmpty()).toList();
        builder.extraNames(extraNames);
        String challenge = form.getOrDefault("challenge", "http-01");
        if (!challenge.equals("auto")) {
            builder.challenge(ChallengeType.fromAcmeName(challenge));
            EnrollmentRequest request = builder.build(); // checked now: bad input never reaches the CA
            return () -> {
                autoCert.register(account);
                autoCert.enroll(request);
                job = new Job(false, "Done.", null, request.httpsBinding().uri().toString());
            };
        }
        Binding binding = Binding.parse(form.getOrDefault("binding", ""));
        return () -> {
            List<String> names = new java.util.ArrayList<>(List.of(binding.host()));
            names.addAll(extraNames);
            EnrollmentRequest request = builder.challenge(autoCert.chooseChallenge(names)).build();
            autoCert.register(account); // after the request is checked: bad input never reaches the CA
            autoCert.enroll(request);
            job = new Job(false, "Done.", null, request.httpsBinding().uri().toString());
        };
    }

    /**
     * The account the form sets up: the email, and the consent recorded as the Terms of Service link
     * the form showed (none if the CA publishes none; if it links some by the time of registering,
     * registration fails with the new link, shown on the reloaded form).
     */
    private static AccountRegistration account(Map<String, String> form, URI shownTerms) {
        if (!"on".equals(form.get("tos"))) {
            throw new InvalidInputException("termsOfServiceAccepted", "false",
                    "must be true: the admin has to accept the CA's Terms of Service first");
        }
        AccountRegistration.Builder account = AccountRegistration.builder().email(form.getOrDefault("email", ""));
        return (shownTerms == null ? account.noTermsOfService() : account.termsOfServiceAccepted(shownTerms)).build();
    }

    private Runnable renew(String domain) {
        return () -> {
            autoCert.renewNow(domain);
            job = new Job(false, "Renewed " + domain + ".", null, null);
        };
    }

    private Runnable revoke(String domain, String reason) {
        RevocationReason revocationReason = DemoOptions.reason(reason);
        return () -> {
            autoCert.revoke(domain, revocationReason);
            job = new Job(false, "Revoked the previous certificate of " + domain + "; a new one is in place.", null, null);
        };
    }

    private void rollover() {
        URI account = autoCert.rolloverAccountKey();
        job = new Job(false, "The account " + account + " has a new key.", null, null);
    }

    private Runnable unmanage(String domain, boolean delete) {
        return () -> {
            if (delete) {
                autoCert.unmanageAndDelete(domain);
            } else {
                autoCert.unmanage(domain);
            }
            job = new Job(false, "Stopped managing " + domain + (delete ? "; its certificate and key are deleted." : "."),
                    null, null);
        };
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1; // rejected by the builder with a message naming the field
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

    private String render(String csrf, String nonce) {
        StringBuilder html = new StringBuilder("<h1>Certificates</h1><h2>Bindings</h2><table><tr><th>Scheme</th><th>Host</th><th>Port</th></tr>");
        for (Binding binding : autoCert.bindings()) {
            html.append("<tr><td>").append(binding.scheme()).append("</td><td>").append(Html.escape(binding.host()))
                    .append("</td><td>").append(binding.port()).append("</td></tr>");
        }
        html.append("</table>");
        for (String domain : autoCert.managedDomains()) {
            html.append(statusTable(autoCert.status(domain), csrf));
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
        html.append(configureForm(csrf)).append(accountForm(csrf)).append(logoutForm(csrf)).append(pollScript(nonce));
        return html.toString();
    }

    private static String statusTable(CertificateStatus status, String csrf) {
        String domain = Html.escape(status.domain());
        return "<h2>Certificate for " + domain + "</h2><table id=\"certificate\">"
                + row("Names", String.join(", ", status.names()))
                + row("Last renewed", status.lastRenewed()) + row("Expires", status.notAfter())
                + row("Issuer", status.issuer()) + row("Serial", status.serialNumber())
                + row("Next check", status.nextCheck())
                + (status.isPaused() ? row("Automatic renewal", "paused until " + status.pausedUntil().orElseThrow()
                .truncatedTo(ChronoUnit.SECONDS)) : "")
                + status.renewalLockHolder().map(holder -> row("Being renewed by", holder.owner() + " since "
                + holder.since().truncatedTo(ChronoUnit.SECONDS))).orElse("")
                + row("Last error", status.lastError() == null ? "none" : status.lastError()) + "</table>"
                + actionForm("renew", csrf, domain, "", "Renew now")
                + actionForm("revoke", csrf, domain, "<label class=\"inline\">reason <select name=\"reason\">"
                + "<option value=\"superseded\">superseded</option><option value=\"key-compromise\">key compromise</option>"
                + "</select></label>", "Revoke")
                + actionForm("unmanage", csrf, domain, "<label class=\"inline\"><input type=\"checkbox\" name=\"delete\">"
                + " and delete the certificate and key</label>", "Stop managing");
    }

    private static String actionForm(String action, String csrf, String domain, String fields, String button) {
        return "<form class=\"inline\" method=\"post\" action=\"/admin/" + action + "\">" + hidden("csrf", csrf)
                + hidden("domain", domain) + fields + "<button type=\"submit\" id=\"" + action + "-" + domain + "\">"
                + button + "</button></form> ";
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.escape(value) + "\">";
    }

    private static String row(String name, Object value) {
        if (value instanceof Instant instant) {
            value = instant.truncatedTo(ChronoUnit.SECONDS);
        }
        return "<tr><th>" + name + "</th><td data-field=\"" + name + "\">" + Html.escape(value == null ? "—" : value) + "</td></tr>";
    }

    private String configureForm(String csrf) {
        StringBuilder form = new StringBuilder("<h2>Configure Let's Encrypt</h2><form method=\"post\" action=\"/admin/configure\">"
                + "<fieldset>" + hidden("csrf", csrf) + "<label>Binding <select name=\"binding\" id=\"binding\">");
        for (Binding binding : autoCert.bindings()) {
            form.append("<option>").append(Html.escape(binding)).append("</option>");
        }
        form.append("</select></label>")
                .append("<label>HTTPS port (for an HTTP binding) <input name=\"httpsPort\" id=\"httpsPort\" value=\"443\" size=\"6\"></label>")
                .append("<label>More names on the certificate (optional, comma-separated) <input name=\"extraNames\""
                        + " id=\"extraNames\" size=\"40\"></label>")
                .append("<label>Validation <select name=\"challenge\" id=\"challenge\">"
                        + "<option value=\"http-01\">HTTP on port 80 (http-01)</option>"
                        + "<option value=\"tls-alpn-01\">TLS on port 443 (tls-alpn-01)</option>"
                        + "<option value=\"dns-01\">DNS record (dns-01)</option>"
                        + "<option value=\"auto\">Automatic: try port 80, then 443, then DNS</option></select></label>")
                .append("<label><input type=\"checkbox\" name=\"tos\" id=\"tos\"> I accept the ")
                .append(termsLink()).append("</label>")
                .append("<label>Registration email <input name=\"email\" id=\"email\" type=\"email\" size=\"30\"></label>")
                .append("<button type=\"submit\" id=\"register\">Register</button></fieldset></form>");
        return form.toString();
    }

    private String accountForm(String csrf) {
        return "<h2>Account</h2>" + registeredAccount()
                + "<p>Registering again with another email makes it the account's contact at the CA.</p>"
                + "<form method=\"post\" action=\"/admin/rollover\">" + hidden("csrf", csrf)
                + "<button type=\"submit\" id=\"rollover\">Roll over the account key</button></form>";
    }

    /** What is registered at the CA, read from the store. */
    private String registeredAccount() {
        Optional<RegisteredAccount> account;
        try {
            account = autoCert.account();
        } catch (AutoCertException e) {
            return "<p class=\"error\">Cannot read the account: " + Html.escape(e.getMessage()) + "</p>";
        }
        if (account.isEmpty()) {
            return "<p id=\"account\">No account is registered at the CA yet.</p>";
        }
        RegisteredAccount registered = account.get();
        return "<p id=\"account\">Account <code>" + Html.escape(registered.location()) + "</code>, contact "
                + Html.escape(registered.contacts().isEmpty() ? "none" : String.join(", ", registered.contacts()))
                + ", Terms of Service accepted: " + Html.escape(registered.acceptedTermsOfService().map(URI::toString)
                .orElse("not recorded")) + "</p>";
    }

    private static String logoutForm(String csrf) {
        return "<form method=\"post\" action=\"/admin/logout\">" + hidden("csrf", csrf)
                + "<button type=\"submit\" id=\"logout\">Log out</button></form>";
    }

    /** Links the CA's Terms of Service only if the CA gave a web address; anything else is shown as text. */
    private String termsLink() {
        String caName = Html.escape(autoCert.certificateAuthority().name());
        try {
            if (termsOfService == null) {
                termsOfService = autoCert.termsOfService().orElse(null);
            }
        } catch (AutoCertException e) {
            return "CA's Terms of Service <span class=\"error\">(cannot read them now: " + Html.escape(e.getMessage()) + ")</span>";
        }
        if (termsOfService == null) {
            return "CA's Terms of Service (the CA publishes no link)";
        }
        String scheme = termsOfService.getScheme() == null ? "" : termsOfService.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return caName + " Terms of Service (the CA's link is not a web address: <code>"
                    + Html.escape(termsOfService) + "</code>)";
        }
        return "<a id=\"tos-link\" href=\"" + Html.escape(termsOfService) + "\" rel=\"noopener noreferrer\">" + caName
                + " Terms of Service</a>";
    }

    private static String pollScript(String nonce) {
        return "<script nonce=\"" + nonce + "\">(function(){var p=document.getElementById('progress');"
                + "if(p.dataset.running!=='true')return;var t=setInterval(function(){fetch('/admin/state.json')"
                + ".then(function(r){if(!r.ok){clearInterval(t);location.reload();}return r.json();}).then(function(s){p.textContent=s.stage||'';"
                + "if(!s.running){clearInterval(t);location.reload();}});},250);})();</script>";
    }

    private void sendJson(HttpExchange exchange) throws IOException {
        AdminGuard.secureHeaders(exchange);
        Job current = job;
        byte[] bytes = StatusJson.progress(current.running(), current.stage(), current.error()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void redirect(HttpExchange exchange) throws IOException {
        AdminGuard.secureHeaders(exchange);
        exchange.getResponseHeaders().set("Location", "/admin");
        exchange.sendResponseHeaders(303, -1);
        exchange.close();
    }

    private static Map<String, String> readForm(HttpExchange exchange) throws IOException, BadForm {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_FORM_BYTES + 1);
        }
        if (body.length > MAX_FORM_BYTES) {
            throw new BadForm("The form is larger than " + MAX_FORM_BYTES + " bytes.");
        }
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new BadForm("The form is not properly encoded: " + e.getMessage());
            }
        }
        return form;
    }

    void close() {
        worker.shutdownNow();
    }
}
