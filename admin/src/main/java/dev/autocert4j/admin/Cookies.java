package dev.autocert4j.admin;

/** Reads and writes the admin page's cookies: {@code HttpOnly}, {@code SameSite=Strict}, scoped to the mount. */
final class Cookies {

    private Cookies() {
    }

    /** @return the cookie's value from the request, or null if it has none (or an empty one) */
    static String read(AdminRequest request, String name) {
        for (String header : request.headers("Cookie")) {
            for (String cookie : header.split(";")) {
                String[] pair = cookie.strip().split("=", 2);
                if (pair.length == 2 && pair[0].equals(name) && !pair[1].isEmpty()) {
                    return pair[1];
                }
            }
        }
        return null;
    }

    /** @return a {@code Set-Cookie} value for the mount's path, {@code Secure} over TLS */
    static String set(String name, String value, String path, boolean secure) {
        return name + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** @return a {@code Set-Cookie} value that makes the browser drop the cookie */
    static String clear(String name, String path, boolean secure) {
        return name + "=; Max-Age=0; Path=" + path + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}
