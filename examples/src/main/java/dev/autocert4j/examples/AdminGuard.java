package dev.autocert4j.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What keeps everyone but the logged-in admin away from the admin page:
 * <ul>
 *   <li>the {@code Host} header must name the loopback address and port the page listens on, so a
 *       page reached through DNS rebinding ({@code Host: rebind.attacker.example}) gets 421;</li>
 *   <li>every route but the login form needs a session, which only the admin token opens (see
 *       {@link AdminToken}); a failed login locks its address out for a while ({@link LoginThrottle});</li>
 *   <li>a POST must come from the page itself: its {@code Origin}, where the browser sends one, must
 *       be the page's own (else 403), and it must carry the session's CSRF token (else 403);</li>
 *   <li>every answer forbids framing and inline scripts other than the page's own.</li>
 * </ul>
 * Sessions live in memory, at most {@value #MAX_SESSIONS}, the oldest forgotten first; each ends
 * after {@link #IDLE_TIMEOUT} without a request, {@link #MAX_AGE} after the login, or at logout.
 * The cookie is {@code HttpOnly}, {@code SameSite=Strict}, scoped to {@code /admin}, and
 * {@code Secure} when the page is served over HTTPS.
 */
final class AdminGuard {

    static final String COOKIE = "autocert4j_admin";
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    static final Duration MAX_AGE = Duration.ofHours(12);
    private static final int MAX_SESSIONS = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A logged-in browser. */
    record Session(String id, String csrfToken, Instant loggedIn, Instant lastSeen) {
    }

    /** What a login attempt came to. */
    sealed interface Login {
        /** The token was right: the browser gets this session's cookie. */
        record Succeeded(Session session) implements Login {
        }

        /** The token was wrong; the address is locked out for a while. */
        record Failed() implements Login {
        }

        /** The address is locked out: no token is looked at until then. */
        record LockedOut(Duration remaining) implements Login {
        }
    }

    private final Set<String> hosts;
    private final Set<String> origins;
    private final String pageUrl;
    private final AdminToken token;
    private final Clock clock;
    private final LoginThrottle throttle;
    private final Map<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    /**
     * @param scheme how the page is served, {@code http} or {@code https}
     * @param port   the port the admin page listens on, on 127.0.0.1
     * @param token  the admin token that opens a session
     * @param clock  the time for session expiry and login lockouts
     */
    AdminGuard(String scheme, int port, AdminToken token, Clock clock) {
        this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
        this.origins = Set.of(scheme + "://127.0.0.1:" + port, scheme + "://localhost:" + port, scheme + "://[::1]:" + port);
        this.pageUrl = scheme + "://127.0.0.1:" + port + "/admin";
        this.token = token;
        this.clock = clock;
        this.throttle = new LoginThrottle(clock);
    }

    /** @return whether the request names this page's own host and port; answers 421 if not */
    boolean admitHost(HttpExchange exchange) throws IOException {
        List<String> host = exchange.getRequestHeaders().get("Host");
        if (host != null && host.size() == 1 && hosts.contains(host.get(0).strip().toLowerCase(Locale.ROOT))) {
            return true;
        }
        refuse(exchange, 421, "This page answers only at " + pageUrl + ".");
        return false;
    }

    /** @return whether the request bears no {@code Origin} or this page's own; answers 403 if not */
    boolean admitOrigin(HttpExchange exchange) throws IOException {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin == null || origins.contains(origin.strip().toLowerCase(Locale.ROOT))) {
            return true;
        }
        refuse(exchange, 403, "This form can only be sent from the admin page itself.");
        return false;
    }

    /** @return whether a POST carries its session's CSRF token; answers 403 if not */
    boolean admitCsrf(HttpExchange exchange, Session session, String csrfToken) throws IOException {
        if (csrfToken != null && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.US_ASCII),
                csrfToken.getBytes(StandardCharsets.US_ASCII))) {
            return true;
        }
        refuse(exchange, 403, "The form has expired or did not come from the admin page: reload the page and try again.");
        return false;
    }

    /** @return the live session the request's cookie names, its idle time restarted; empty if none */
    Optional<Session> session(HttpExchange exchange) {
        String id = cookie(exchange);
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        synchronized (sessions) {
            Session session = sessions.get(id);
            if (session == null) {
                return Optional.empty();
            }
            if (!now.isBefore(session.lastSeen().plus(IDLE_TIMEOUT)) || !now.isBefore(session.loggedIn().plus(MAX_AGE))) {
                sessions.remove(id);
                return Optional.empty();
            }
            Session seen = new Session(id, session.csrfToken(), session.loggedIn(), now);
            sessions.put(id, seen);
            return Optional.of(seen);
        }
    }

    /**
     * Checks a login from the request's address: a locked-out address is not let try; the right
     * token opens a new session (never one the browser brought) and sets its cookie.
     */
    Login logIn(HttpExchange exchange, String candidate) {
        InetAddress address = exchange.getRemoteAddress().getAddress();
        Optional<Duration> locked = throttle.lockedFor(address);
        if (locked.isPresent()) {
            return new Login.LockedOut(locked.get());
        }
        if (!token.matches(candidate)) {
            throttle.failed(address);
            return new Login.Failed();
        }
        throttle.succeeded(address);
        Instant now = clock.instant();
        Session session = new Session(randomToken(), randomToken(), now, now);
        synchronized (sessions) {
            String previous = cookie(exchange);
            if (previous != null) {
                sessions.remove(previous);
            }
            sessions.put(session.id(), session);
        }
        exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + session.id() + cookieAttributes(exchange));
        return new Login.Succeeded(session);
    }

    /** Ends the session on the server and tells the browser to drop its cookie. */
    void logOut(HttpExchange exchange, Session session) {
        synchronized (sessions) {
            sessions.remove(session.id());
        }
        exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Max-Age=0" + cookieAttributes(exchange));
    }

    private static String cookieAttributes(HttpExchange exchange) {
        return "; Path=/admin; HttpOnly; SameSite=Strict" + (exchange instanceof HttpsExchange ? "; Secure" : "");
    }

    /** Sets the headers every answer carries; returns the nonce the page's own script must bear. */
    static String secureHeaders(HttpExchange exchange) {
        String nonce = randomToken();
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Security-Policy", "default-src 'self'; script-src 'nonce-" + nonce + "'; style-src"
                + " 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        headers.set("X-Frame-Options", "DENY");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "same-origin"); // "no-referrer" would make browsers send "Origin: null"
        headers.set("Cache-Control", "no-store");
        return nonce;
    }

    private static String cookie(HttpExchange exchange) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String cookie : header.split(";")) {
                String[] pair = cookie.strip().split("=", 2);
                if (pair.length == 2 && pair[0].equals(COOKIE) && !pair[1].isEmpty()) {
                    return pair[1];
                }
            }
        }
        return null;
    }

    static void refuse(HttpExchange exchange, int status, String message) throws IOException {
        secureHeaders(exchange);
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
