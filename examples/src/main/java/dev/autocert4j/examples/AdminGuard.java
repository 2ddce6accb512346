package dev.autocert4j.examples;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What keeps other web pages and other host names away from the admin page:
 * <ul>
 *   <li>the {@code Host} header must name the loopback address and port the page listens on, so a
 *       page reached through DNS rebinding ({@code Host: rebind.attacker.example}) gets 421;</li>
 *   <li>a POST must come from the page itself: its {@code Origin}, where the browser sends one, must
 *       be the page's own (else 403), and it must carry the session's CSRF token (else 403);</li>
 *   <li>every answer forbids framing and inline scripts other than the page's own.</li>
 * </ul>
 * Sessions live in memory, at most {@value #MAX_SESSIONS}, the oldest forgotten first.
 */
final class AdminGuard {

    static final String COOKIE = "autocert4j_admin";
    private static final int MAX_SESSIONS = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Set<String> hosts;
    private final Set<String> origins;
    private final Map<String, String> csrfBySession = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    /** @param port the port the admin page listens on, on 127.0.0.1 */
    AdminGuard(int port) {
        this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
        this.origins = Set.of("http://127.0.0.1:" + port, "http://localhost:" + port, "http://[::1]:" + port);
    }

    /** @return whether the request names this page's own host and port; answers 421 if not */
    boolean admitHost(HttpExchange exchange) throws IOException {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host != null && exchange.getRequestHeaders().get("Host").size() == 1
                && hosts.contains(host.strip().toLowerCase(java.util.Locale.ROOT))) {
            return true;
        }
        refuse(exchange, 421, "This page answers only at http://127.0.0.1:" + portOf() + "/admin.");
        return false;
    }

    /** @return whether a POST comes from this page with its session's token; answers 403 if not */
    boolean admitPost(HttpExchange exchange, String csrfToken) throws IOException {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origins.contains(origin.strip().toLowerCase(java.util.Locale.ROOT))) {
            refuse(exchange, 403, "This form can only be sent from the admin page itself.");
            return false;
        }
        String expected;
        synchronized (csrfBySession) {
            expected = session(exchange) == null ? null : csrfBySession.get(session(exchange));
        }
        if (expected == null || csrfToken == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                csrfToken.getBytes(StandardCharsets.US_ASCII))) {
            refuse(exchange, 403, "The form has expired or did not come from the admin page: reload the page and try again.");
            return false;
        }
        return true;
    }

    /**
     * Gives the browser a session, if it has none yet, and returns the session's CSRF token for the
     * page's forms.
     */
    String csrfToken(HttpExchange exchange) {
        synchronized (csrfBySession) {
            String session = session(exchange);
            String token = session == null ? null : csrfBySession.get(session);
            if (token == null) {
                session = randomToken();
                token = randomToken();
                csrfBySession.put(session, token);
                exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + session
                        + "; Path=/admin; HttpOnly; SameSite=Strict");
            }
            return token;
        }
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

    private static String session(HttpExchange exchange) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String cookie : header.split(";")) {
                String[] pair = cookie.strip().split("=", 2);
                if (pair.length == 2 && pair[0].equals(COOKIE)) {
                    return pair[1];
                }
            }
        }
        return null;
    }

    private String portOf() {
        String any = hosts.iterator().next();
        return any.substring(any.lastIndexOf(':') + 1);
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
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
