package dev.autocert4j.admin;

import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.RegisteredAccount;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The admin page's HTML: the Certificates view, the Configure dialog and the login form, in the
 * page shell and style kept in the jar. Every value is escaped; nothing needs JavaScript (while an
 * action runs, the page reloads itself every second to show its progress).
 */
final class Views {

    private static final String SHELL = resource("page.html");
    private static final String CSS = resource("admin.css");

    /** The Terms of Service link to show, or why it cannot be shown. */
    record Terms(URI link, String problem) {
    }

    private final AutoCert autoCert;
    private final String mount;
    private final Clock clock;

    Views(AutoCert autoCert, String mount, Clock clock) {
        this.autoCert = autoCert;
        this.mount = mount;
        this.clock = clock;
    }

    String login(String nonce, String error) {
        String body = (error == null ? "" : "<p id=\"error\" class=\"error\" role=\"alert\">" + Html.escape(error) + "</p>")
                + "<form class=\"dialog\" method=\"post\" action=\"" + mount + "/login\">"
                + "<p>The admin token is in the file the server named in its log when it started (<code>"
                + AdminTokenLogin.FILE_NAME + "</code>).</p>"
                + "<label for=\"token\">Admin token</label><input type=\"password\" name=\"token\" id=\"token\""
                + " autocomplete=\"current-password\" required>"
                + "<div><button type=\"submit\" id=\"login\">Log in</button></div></form>";
        return page(nonce, "Log in to the admin page", "", body, false);
    }

    String message(String nonce, String title, String text) {
        return page(nonce, title, "", "<p id=\"error\" class=\"error\" role=\"alert\">" + Html.escape(text) + "</p>", false);
    }

    String certificates(String nonce, String csrf, boolean canLogOut, Jobs.Job job) {
        StringBuilder body = new StringBuilder(progress(job));
        List<String> domains = autoCert.managedDomains();
        if (domains.isEmpty()) {
            body.append("<section><p id=\"no-certificate\">No certificate is managed yet. <a class=\"button\" href=\"")
                    .append(mount).append("/configure\" id=\"configure-link\">Configure Let's Encrypt</a></p></section>");
        }
        for (int i = 0; i < domains.size(); i++) {
            body.append(certificate(i, autoCert.status(domains.get(i)), csrf));
        }
        body.append(account(csrf)).append(bindingsTable());
        return page(nonce, "Certificates", nav("certificates", csrf, canLogOut), body.toString(), job.running());
    }

    String configure(String nonce, String csrf, boolean canLogOut, Jobs.Job job, Terms terms) {
        StringBuilder form = new StringBuilder(progress(job)).append("<form class=\"dialog\" method=\"post\" action=\"")
                .append(mount).append("/configure\">").append(hidden(Csrf.FIELD, csrf))
                .append("<fieldset><legend>Binding to secure</legend>");
        List<Binding> bindings = autoCert.bindings();
        for (int i = 0; i < bindings.size(); i++) {
            Binding binding = bindings.get(i);
            form.append("<div class=\"choice\"><input type=\"radio\" name=\"binding\" id=\"binding-").append(i)
                    .append("\" value=\"").append(Html.escape(binding)).append(i == 0 ? "\" checked>" : "\">")
                    .append("<label for=\"binding-").append(i).append("\">").append(Html.escape(binding)).append("</label></div>");
        }
        form.append("</fieldset>")
                .append(field("httpsPort", "HTTPS port to open (for an HTTP binding)", "text", "443", "inputmode=\"numeric\""))
                .append(field("extraNames", "More names on the certificate (optional, comma-separated)", "text", "", ""))
                .append("<label for=\"challenge\">Validation</label><select name=\"challenge\" id=\"challenge\">"
                        + "<option value=\"http-01\">HTTP on port 80 (http-01)</option>"
                        + "<option value=\"tls-alpn-01\">TLS on port 443 (tls-alpn-01)</option>"
                        + "<option value=\"dns-01\">DNS record (dns-01)</option>"
                        + "<option value=\"auto\">Automatic: the first that works of port 80, port 443 and DNS</option></select>")
                .append("<p class=\"hint\">Certificate authority: ").append(Html.escape(autoCert.certificateAuthority().name()))
                .append(" (<code>").append(Html.escape(autoCert.certificateAuthority().directory())).append("</code>)</p>")
                .append(terms.problem() == null ? hidden("termsOfService", terms.link() == null ? "" : terms.link().toString()) : "")
                .append("<div class=\"choice\"><input type=\"checkbox\" name=\"tos\" id=\"tos\">")
                .append("<label for=\"tos\">I accept the ").append(termsText(terms)).append("</label></div>")
                .append(field("email", "Registration email", "email", "", "autocomplete=\"email\""))
                .append("<div><button type=\"submit\" id=\"register\">Register</button></div></form>");
        return page(nonce, "Configure Let's Encrypt", nav("configure", csrf, canLogOut), form.toString(), job.running());
    }

    private String page(String nonce, String title, String nav, String body, boolean refresh) {
        return SHELL.replace("{{refresh}}", refresh ? "<meta http-equiv=\"refresh\" content=\"1\">\n" : "")
                .replace("{{title}}", Html.escape(title)).replace("{{nonce}}", nonce).replace("{{css}}", CSS)
                .replace("{{nav}}", nav).replace("{{body}}", body);
    }

    private String nav(String current, String csrf, boolean canLogOut) {
        return "<nav aria-label=\"Admin\"><ul>" + navLink("certificates", "", "Certificates", current)
                + navLink("configure", "/configure", "Configure Let's Encrypt", current)
                + (canLogOut ? "<li><form class=\"inline\" method=\"post\" action=\"" + mount + "/logout\">" + hidden(Csrf.FIELD, csrf)
                + "<button type=\"submit\" class=\"secondary\" id=\"logout\">Log out</button></form></li>" : "") + "</ul></nav>";
    }

    private String navLink(String name, String path, String text, String current) {
        return "<li><a id=\"nav-" + name + "\" href=\"" + mount + (path.isEmpty() ? "/" : path) + "\""
                + (name.equals(current) ? " aria-current=\"page\"" : "") + ">" + text + "</a></li>";
    }

    private static String progress(Jobs.Job job) {
        StringBuilder html = new StringBuilder("<p id=\"progress\" role=\"status\" data-running=\"").append(job.running()).append("\">");
        if (job.stage() != null) {
            html.append(Html.escape(job.stage()));
        }
        if (job.httpsUrl() != null) {
            html.append(" <span class=\"ok\">The server is now on <a id=\"https-url\" href=\"").append(Html.escape(job.httpsUrl()))
                    .append("\">").append(Html.escape(job.httpsUrl())).append("</a></span>");
        }
        html.append("</p>");
        if (job.error() != null) {
            html.append("<p id=\"error\" class=\"error\" role=\"alert\">").append(Html.escape(job.error())).append("</p>");
        }
        return html.toString();
    }

    private String certificate(int index, CertificateStatus status, String csrf) {
        String domain = Html.escape(status.domain());
        Instant now = clock.instant();
        String expires = status.notAfter() == null ? null : seconds(status.notAfter()) + " ("
                + Duration.between(now, status.notAfter()).toDays() + " days left)";
        return "<section class=\"certificate\" aria-labelledby=\"certificate-" + index + "\"><h2 id=\"certificate-" + index
                + "\">Certificate for " + domain + "</h2><div class=\"table-wrap\"><table data-domain=\"" + domain + "\">"
                + row("Names", String.join(", ", status.names())) + row("Issuer", status.issuer())
                + row("Serial", status.serialNumber()) + row("Last renewed", status.lastRenewed()) + row("Expires", expires)
                + row("Next check", status.nextCheck())
                + row("Automatic renewal", status.pausedUntil().map(until -> "paused until " + seconds(until)).orElse("on"))
                + status.renewalLockHolder().map(holder -> row("Being renewed by", holder.owner() + " since "
                + seconds(holder.since()))).orElse("")
                + row("Last error", status.lastError() == null ? "none" : status.lastError()) + "</table></div>"
                + "<div class=\"actions\">" + actionForm("renew", csrf, domain, "", "Renew now", "")
                + actionForm("revoke", csrf, domain, "<label class=\"inline\" for=\"reason-" + index + "\">Reason</label>"
                + "<select name=\"reason\" id=\"reason-" + index + "\"><option value=\"superseded\">superseded</option>"
                + "<option value=\"key-compromise\">key compromise</option><option value=\"cessation-of-operation\">"
                + "cessation of operation</option></select>", "Revoke", "danger")
                + actionForm("unmanage", csrf, domain, "<input type=\"checkbox\" name=\"delete\" id=\"delete-" + index + "\">"
                + "<label class=\"inline\" for=\"delete-" + index + "\">and delete the certificate and key</label>",
                "Stop managing", "danger") + "</div></section>";
    }

    private String actionForm(String action, String csrf, String escapedDomain, String fields, String button, String style) {
        return "<form class=\"inline\" method=\"post\" action=\"" + mount + "/" + action + "\">" + hidden(Csrf.FIELD, csrf)
                + "<input type=\"hidden\" name=\"domain\" value=\"" + escapedDomain + "\">" + fields
                + "<button type=\"submit\"" + (style.isEmpty() ? "" : " class=\"" + style + "\"") + " id=\"" + action + "-"
                + escapedDomain + "\">" + button + "</button></form>";
    }

    private String account(String csrf) {
        return "<section aria-labelledby=\"account-heading\"><h2 id=\"account-heading\">Account</h2>" + registeredAccount()
                + "<form class=\"inline\" method=\"post\" action=\"" + mount + "/rollover\">" + hidden(Csrf.FIELD, csrf)
                + "<button type=\"submit\" class=\"secondary\" id=\"rollover\">Roll over the account key</button></form>"
                + "<p class=\"hint\">Registering again with another email makes it the account's contact at the CA.</p></section>";
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

    private String bindingsTable() {
        StringBuilder html = new StringBuilder("<section aria-labelledby=\"bindings-heading\"><h2 id=\"bindings-heading\">"
                + "Bindings</h2><div class=\"table-wrap\"><table id=\"bindings\"><tr><th scope=\"col\">Scheme</th>"
                + "<th scope=\"col\">Host</th><th scope=\"col\">Port</th></tr>");
        for (Binding binding : autoCert.bindings()) {
            html.append("<tr><td>").append(binding.scheme()).append("</td><td>").append(Html.escape(binding.host()))
                    .append("</td><td>").append(binding.port()).append("</td></tr>");
        }
        return html.append("</table></div></section>").toString();
    }

    /** Links the CA's Terms of Service only if the CA gave a web address; anything else is shown as text. */
    private String termsText(Terms terms) {
        String caName = Html.escape(autoCert.certificateAuthority().name());
        if (terms.problem() != null) {
            return "CA's Terms of Service <span class=\"error\">(cannot read them now: " + Html.escape(terms.problem()) + ")</span>";
        }
        if (terms.link() == null) {
            return "CA's Terms of Service (the CA publishes no link)";
        }
        String scheme = terms.link().getScheme() == null ? "" : terms.link().getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return caName + " Terms of Service (the CA's link is not a web address: <code>" + Html.escape(terms.link()) + "</code>)";
        }
        return "<a id=\"tos-link\" href=\"" + Html.escape(terms.link()) + "\" rel=\"noopener noreferrer\">" + caName
                + " Terms of Service</a>";
    }

    private static String field(String name, String label, String type, String value, String attributes) {
        return "<label for=\"" + name + "\">" + label + "</label><input type=\"" + type + "\" name=\"" + name + "\" id=\""
                + name + "\" value=\"" + Html.escape(value) + "\"" + (attributes.isEmpty() ? "" : " " + attributes) + ">";
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.escape(value) + "\">";
    }

    private static String row(String name, Object value) {
        Object shown = value instanceof Instant instant ? seconds(instant) : value;
        return "<tr><th scope=\"row\">" + name + "</th><td data-field=\"" + name + "\">" + Html.escape(shown == null ? "—" : shown)
                + "</td></tr>";
    }

    private static Instant seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }

    private static String resource(String name) {
        try (InputStream in = Views.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the admin page's " + name + " is missing from its jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
