package dev.autocert4j.admin;

import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The admin page over an {@link AutoCert}: the Certificates view, the Configure Let's Encrypt dialog
 * and the JSON API under {@code /api/v1}, answering server-neutral {@link AdminRequest}s, so that each
 * server's mount is a thin adapter ({@link AdminHttpHandler} for the JDK's server).
 *
 * <p>Routes, under the mount path: {@code GET /} (Certificates), {@code GET /configure} (the dialog),
 * {@code POST /configure}, {@code /renew}, {@code /revoke}, {@code /unmanage}, {@code /rollover} (forms,
 * answered 303 back to the page), {@code GET /api/v1/state}, {@code POST /api/v1/enroll},
 * {@code /api/v1/renew}, {@code /api/v1/revoke}, {@code /api/v1/unmanage}, {@code /api/v1/rollover}
 * (JSON answers; form-encoded bodies); with {@link AdminTokenLogin}, also {@code GET}/{@code POST /login}
 * and {@code POST /logout}.
 *
 * <p>Secure by default: a request whose {@code Host} the page does not answer to gets 421; every
 * route but the login form needs the {@link AdminAuthenticator} to name an admin (401 otherwise);
 * every {@code POST} needs an {@code Origin} (where the browser sends one) of the page itself and
 * the CSRF token of the admin's page (403 otherwise); every answer forbids framing, caching and any
 * script or style without its nonce. Each action and login is logged on
 * {@code dev.autocert4j.admin.audit} with who did it, from where, and what came of it.
 */
public final class AdminConsole implements AutoCloseable {

    /** The mount path Spring Boot uses, and a good one elsewhere. */
    public static final String DEFAULT_MOUNT_PATH = "/autocert4j";

    private static final Logger AUDIT = LoggerFactory.getLogger("dev.autocert4j.admin.audit");
    private static final Logger LOG = LoggerFactory.getLogger(AdminConsole.class);
    private static final String API = "/api/v1/";

    private final AutoCert autoCert;
    private final String mountPath;
    private final AdminAuthenticator authenticator;
    private final RequestGuard guard;
    private final Csrf csrf = new Csrf();
    private final Jobs jobs = new Jobs();
    private final Views views;
    private final Actions actions;
    private final Clock clock;

    private AdminConsole(Builder builder) {
        this.autoCert = builder.autoCert;
        this.mountPath = builder.mountPath;
        this.authenticator = requireNonNull(builder.authenticator, "authenticator: give AdminTokenLogin.readOrCreate(folder)"
                + " or the host's own login");
        this.guard = new RequestGuard(autoCert, Set.copyOf(builder.allowedHosts));
        this.clock = builder.clock;
        this.views = new Views(autoCert, mountPath, clock);
        this.actions = new Actions(autoCert, jobs);
        if (builder.progress != null) {
            builder.progress.connect(jobs::stage);
        }
    }

    /**
     * Starts a console over the library.
     *
     * @param autoCert the library whose certificates the page shows and changes
     * @return a builder
     */
    public static Builder builder(AutoCert autoCert) {
        return new Builder(autoCert);
    }

    /** @return the path the console is mounted at, such as {@code /autocert4j} */
    public String mountPath() {
        return mountPath;
    }

    /**
     * Answers one request. Never throws: an unexpected failure is logged and answered 500.
     *
     * @param request a request whose path starts with the mount path
     * @return the answer to write
     */
    public AdminResponse handle(AdminRequest request) {
        requireNonNull(request, "request");
        Reply reply;
        try {
            reply = route(request);
        } catch (RuntimeException e) {
            LOG.warn("The admin page failed to answer {} {}", request.method(), request.path(), e);
            reply = Reply.status(500).text("The admin page failed; the server's log says why.");
        }
        return reply.toResponse(!request.method().equals("HEAD"));
    }

    private Reply route(AdminRequest request) {
        Optional<String> path = relativePath(request.path());
        if (path.isEmpty()) {
            return Reply.status(404).text("Not found.");
        }
        if (!guard.hostAllowed(request)) {
            return Reply.status(421).text("This page does not answer to the host this request names.");
        }
        boolean post = request.method().equals("POST");
        if (!post && !request.method().equals("GET") && !request.method().equals("HEAD")) {
            return Reply.status(405).header("Allow", "GET, HEAD, POST").text("Method not allowed.");
        }
        if (post && !guard.originAllowed(request)) {
            audit("refused", "-", request, path.get(), "foreign origin " + request.header("Origin").orElse("(none)"));
            return Reply.status(403).text("This form can only be sent from the admin page itself.");
        }
        if (post && request.bodyLength() > AdminRequest.MAX_BODY_BYTES) {
            return Reply.status(413).text("The form is larger than " + AdminRequest.MAX_BODY_BYTES + " bytes.");
        }
        if (authenticator instanceof AdminTokenLogin login && path.get().equals("/login")) {
            return post ? logIn(login, request) : loginForm(200, null);
        }
        Optional<String> user = authenticator.authenticate(request);
        if (user.isEmpty()) {
            return unauthenticated(request, path.get());
        }
        return post ? post(request, path.get(), user.get()) : get(request, path.get(), user.get());
    }

    private Optional<String> relativePath(String path) {
        if (path.equals(mountPath) || path.equals(mountPath + "/")) {
            return Optional.of("/");
        }
        return path.startsWith(mountPath + "/") ? Optional.of(path.substring(mountPath.length())) : Optional.empty();
    }

    private Reply unauthenticated(AdminRequest request, String path) {
        if (path.startsWith(API) || request.method().equals("POST")) {
            return Reply.status(401).json(Json.write(Map.of("error", "Log in first.")));
        }
        if (authenticator instanceof AdminTokenLogin) {
            return loginForm(401, null);
        }
        Reply reply = Reply.status(401);
        return reply.html(views.message(reply.nonce(), "Log in first", "This page needs the server's admin login."));
    }

    private Reply loginForm(int status, String error) {
        Reply reply = Reply.status(status);
        return reply.html(views.login(reply.nonce(), error));
    }

    private Reply logIn(AdminTokenLogin login, AdminRequest request) {
        Map<String, String> form;
        try {
            form = Forms.parse(request.body());
        } catch (Forms.BadForm e) {
            return Reply.status(400).text(e.getMessage());
        }
        AdminTokenLogin.Attempt attempt = login.logIn(request, form.get("token"));
        if (attempt instanceof AdminTokenLogin.Attempt.LockedOut locked) {
            long seconds = Math.max(1, (locked.remaining().toMillis() + 999) / 1000);
            audit("login", "-", request, "/login", "locked out for " + seconds + " s");
            return loginForm(429, "Too many failed logins from your address: try again in " + seconds + " s.")
                    .header("Retry-After", String.valueOf(seconds));
        }
        if (attempt instanceof AdminTokenLogin.Attempt.Succeeded succeeded) {
            audit("login", "token login", request, "/login", "succeeded");
            return Reply.seeOther(mountPath + "/").header("Set-Cookie",
                    Cookies.set(AdminTokenLogin.COOKIE, succeeded.cookie(), mountPath, request.isSecure()));
        }
        audit("login", "-", request, "/login", "failed: wrong token");
        return loginForm(401, "That is not the admin token.");
    }

    private Reply get(AdminRequest request, String path, String user) {
        String binding = Cookies.read(request, Csrf.COOKIE);
        boolean newBinding = binding == null;
        if (newBinding) {
            binding = Reply.randomToken(32);
        }
        String token = csrf.tokenFor(binding, user);
        Reply reply = switch (path) {
            case "/" -> html(200, nonce -> views.certificates(nonce, token, canLogOut(), jobs.current()));
            case "/configure" -> html(200, nonce -> views.configure(nonce, token, canLogOut(), jobs.current(), terms()));
            case "/api/v1/state" -> Reply.status(200).json(StateJson.of(autoCert, terms(), jobs.current(), token, user, clock));
            default -> Reply.status(404).text("Not found.");
        };
        return newBinding ? reply.header("Set-Cookie", Cookies.set(Csrf.COOKIE, binding, mountPath, request.isSecure())) : reply;
    }

    private Reply html(int status, java.util.function.Function<String, String> page) {
        Reply reply = Reply.status(status);
        return reply.html(page.apply(reply.nonce()));
    }

    private boolean canLogOut() {
        return authenticator instanceof AdminTokenLogin;
    }

    private Reply post(AdminRequest request, String path, String user) {
        boolean api = path.startsWith(API);
        String action = api ? apiAction(path.substring(API.length())) : formAction(path.substring(1));
        if (action == null) {
            return Reply.status(404).text("Not found.");
        }
        Map<String, String> form;
        try {
            form = Forms.parse(request.body());
        } catch (Forms.BadForm e) {
            return Reply.status(400).text(e.getMessage());
        }
        String submitted = request.header(Csrf.HEADER).orElse(form.get(Csrf.FIELD));
        if (!csrf.matches(request, user, submitted)) {
            audit(action, user, request, target(form), "refused: missing or wrong CSRF token");
            return Reply.status(403).text("The form has expired or did not come from the admin page: reload the page and try again.");
        }
        if (action.equals("logout")) {
            ((AdminTokenLogin) authenticator).logOut(request);
            audit("logout", user, request, "-", "succeeded");
            return Reply.seeOther(mountPath + "/").header("Set-Cookie",
                    Cookies.clear(AdminTokenLogin.COOKIE, mountPath, request.isSecure()));
        }
        return start(request, action, form, user, api);
    }

    /** @return the action a form posts to, such as {@code /configure}; null for none */
    private String formAction(String name) {
        if (name.equals("configure")) {
            return "enroll";
        }
        if (name.equals("logout")) {
            return canLogOut() ? name : null;
        }
        return Actions.NAMES.contains(name) && !name.equals("enroll") ? name : null;
    }

    /** @return the action an API call posts to, such as {@code /api/v1/enroll}; null for none */
    private static String apiAction(String name) {
        return Actions.NAMES.contains(name) ? name : null;
    }

    private Reply start(AdminRequest request, String action, Map<String, String> form, String user, boolean api) {
        Jobs.Work work;
        try {
            work = actions.prepare(action, form);
        } catch (AutoCertException | IllegalArgumentException e) {
            audit(action, user, request, target(form), "refused: " + e.getMessage());
            jobs.refused(action, e.getMessage());
            return api ? Reply.status(400).json(Json.write(Map.of("error", String.valueOf(e.getMessage()))))
                    : Reply.seeOther(mountPath + (action.equals("enroll") ? "/configure" : "/"));
        }
        if (!jobs.start(action, work)) {
            audit(action, user, request, target(form), "refused: another action is running");
            return api ? Reply.status(409).json(Json.write(Map.of("error", "Another action is still running.")))
                    : Reply.seeOther(mountPath + "/");
        }
        audit(action, user, request, target(form), "started");
        return api ? Reply.status(202).json(Json.write(StateJson.job(jobs.current()))) : Reply.seeOther(mountPath + "/");
    }

    private Views.Terms terms() {
        try {
            return new Views.Terms(autoCert.termsOfService().orElse(null), null);
        } catch (AutoCertException e) {
            return new Views.Terms(null, e.getMessage());
        }
    }

    private static String target(Map<String, String> form) {
        return form.getOrDefault("domain", form.getOrDefault("binding", "-"));
    }

    private static void audit(String action, String user, AdminRequest request, String target, String outcome) {
        AUDIT.info("admin {} by {} from {} on {}: {}", action, clean(user), request.remoteAddress().getHostAddress(),
                clean(target), clean(outcome));
    }

    /** Keeps a line one line: control characters in names or messages become '?'. */
    private static String clean(String text) {
        return text == null ? "-" : text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /** Stops the background action, if one runs. */
    @Override
    public void close() {
        jobs.close();
    }

    /** A builder of {@link AdminConsole}. */
    public static final class Builder {
        private final AutoCert autoCert;
        private String mountPath = DEFAULT_MOUNT_PATH;
        private AdminAuthenticator authenticator;
        private final Set<String> allowedHosts = new LinkedHashSet<>();
        private AdminProgress progress;
        private Clock clock = Clock.systemUTC();

        private Builder(AutoCert autoCert) {
            this.autoCert = requireNonNull(autoCert, "autoCert");
        }

        /**
         * @param mountPath where the page is mounted, such as {@code /autocert4j}: starts with a slash, no slash at the end
         * @return this builder
         */
        public Builder mountPath(String mountPath) {
            requireNonNull(mountPath, "mountPath");
            if (!mountPath.matches("(/[A-Za-z0-9._~-]+)+")) {
                throw new IllegalArgumentException("mountPath must be like /autocert4j (a slash, then letters,"
                        + " digits, '.', '_', '~' or '-'; no slash at the end): " + mountPath);
            }
            this.mountPath = mountPath;
            return this;
        }

        /**
         * @param authenticator the login every request must pass: the host's own, or {@link AdminTokenLogin}
         * @return this builder
         */
        public Builder authenticator(AdminAuthenticator authenticator) {
            this.authenticator = requireNonNull(authenticator, "authenticator");
            return this;
        }

        /**
         * Adds a host name the page answers to; once one is given, only those given are. Without any,
         * the page answers to the loopback names ({@code 127.0.0.1}, {@code localhost}, {@code [::1]})
         * and to the host of each binding the server listens on, whatever the port.
         *
         * @param hostName a host name such as {@code portal.example.com}, or an address ({@code [::1]} for IPv6)
         * @return this builder
         */
        public Builder allowedHost(String hostName) {
            allowedHosts.add(RequestGuard.hostName(requireNonNull(hostName, "hostName"))
                    .filter(name -> name.equals(hostName.strip().toLowerCase(Locale.ROOT)))
                    .orElseThrow(() -> new IllegalArgumentException("allowedHost takes a host name without port: " + hostName)));
            return this;
        }

        /**
         * @param progress the listener handed to the {@code AutoCert} builder, whose events become the stages the page shows
         * @return this builder
         */
        public Builder progress(AdminProgress progress) {
            this.progress = requireNonNull(progress, "progress");
            return this;
        }

        /**
         * @param clock the time for days left and similar (sessions use the authenticator's own)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the console
         * @throws NullPointerException if no authenticator was given
         */
        public AdminConsole build() {
            return new AdminConsole(this);
        }
    }
}
