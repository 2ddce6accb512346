package dev.autocert4j.admin;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * An answer being put together. Every answer, refusals included, carries the same protective
 * headers: a Content-Security-Policy whose nonce is new for each answer (only the page's own
 * style and script run), framing refused twice ({@code frame-ancestors 'none'} and
 * {@code X-Frame-Options: DENY}), {@code Cache-Control: no-store}, no MIME sniffing.
 */
final class Reply {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int status;
    private final String nonce = randomToken(16);
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private byte[] body = new byte[0];

    private Reply(int status) {
        this.status = status;
        header("Content-Security-Policy", "default-src 'none'; style-src 'nonce-" + nonce + "'; script-src 'nonce-"
                + nonce + "'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        header("X-Frame-Options", "DENY");
        header("X-Content-Type-Options", "nosniff");
        header("Referrer-Policy", "same-origin"); // "no-referrer" would make browsers send "Origin: null"
        header("Cache-Control", "no-store");
        header("Cross-Origin-Opener-Policy", "same-origin");
        header("Cross-Origin-Resource-Policy", "same-origin");
    }

    static Reply status(int status) {
        return new Reply(status);
    }

    /** @return a redirect (303: the browser then GETs the page) */
    static Reply seeOther(String location) {
        return new Reply(303).header("Location", location);
    }

    /** @return the nonce this answer's inline style and script must bear */
    String nonce() {
        return nonce;
    }

    Reply header(String name, String value) {
        headers.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
        return this;
    }

    Reply html(String page) {
        return body("text/html; charset=utf-8", page);
    }

    Reply json(String json) {
        return body("application/json", json);
    }

    Reply text(String text) {
        return body("text/plain; charset=utf-8", text);
    }

    private Reply body(String contentType, String text) {
        header("Content-Type", contentType);
        body = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    AdminResponse toResponse(boolean withBody) {
        return new AdminResponse(status, headers, withBody ? body : new byte[0]);
    }

    static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
