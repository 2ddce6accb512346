package dev.autocert4j.admin;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * CSRF tokens for every state change: the token is an HMAC, under a key made at start, of a random
 * value the console keeps in its own {@code HttpOnly}, {@code SameSite=Strict} cookie and of the
 * admin's name. A page on another site can neither read the cookie nor the token, so it cannot
 * build a form the console accepts, whatever login the host uses.
 */
final class Csrf {

    static final String COOKIE = "autocert4j_csrf";
    static final String FIELD = "csrf";
    static final String HEADER = "X-CSRF-Token";

    private final byte[] key = new byte[32];

    Csrf() {
        new SecureRandom().nextBytes(key);
    }

    /** @return the token the admin's forms must carry, for the cookie's value */
    String tokenFor(String cookieValue, String user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] tag = mac.doFinal((cookieValue + "\n" + user).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /** @return whether the submitted token is the one for the request's cookie and this admin, compared in constant time */
    boolean matches(AdminRequest request, String user, String submitted) {
        String cookie = Cookies.read(request, COOKIE);
        if (cookie == null || submitted == null) {
            return false;
        }
        return MessageDigest.isEqual(tokenFor(cookie, user).getBytes(StandardCharsets.US_ASCII),
                submitted.getBytes(StandardCharsets.US_ASCII));
    }
}
