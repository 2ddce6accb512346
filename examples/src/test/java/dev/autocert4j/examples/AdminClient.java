package dev.autocert4j.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page spoken to in raw HTTP/1.1 from a chosen loopback address, the way curl or an
 * attacker's script would: logs in with the admin token and keeps the session's cookie and CSRF
 * token for the requests that follow.
 */
final class AdminClient {

    private static final Pattern SET_COOKIE = Pattern.compile("(?im)^Set-Cookie: (" + AdminGuard.COOKIE + "=[^;\r\n]*)");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final int port;
    private final String fromAddress;
    private String cookie;
    private String csrf;

    /**
     * @param port        the admin page's port on 127.0.0.1
     * @param fromAddress the loopback address requests come from, such as 127.0.0.2
     */
    AdminClient(int port, String fromAddress) {
        this.port = port;
        this.fromAddress = fromAddress;
    }

    /** @return a client logged in with the token in the file, from 127.0.0.1 */
    static AdminClient loggedIn(int port, Path tokenFile) throws IOException {
        AdminClient client = new AdminClient(port, "127.0.0.1");
        String answer = client.logIn(Files.readString(tokenFile).strip());
        assertThat(answer).as("login with the token in " + tokenFile).startsWith("HTTP/1.1 303");
        return client;
    }

    /** Posts the login form; on success keeps the session cookie and reads the page's CSRF token. */
    String logIn(String token) throws IOException {
        String answer = post("/admin/login", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        Matcher setCookie = SET_COOKIE.matcher(answer);
        if (answer.startsWith("HTTP/1.1 303") && setCookie.find()) {
            cookie = setCookie.group(1);
            Matcher pageCsrf = CSRF.matcher(get("/admin"));
            assertThat(pageCsrf.find()).as("the page carries a CSRF token").isTrue();
            csrf = pageCsrf.group(1);
        }
        return answer;
    }

    /** @return the session cookie as the browser would send it back ({@code name=value}), or null */
    String cookie() {
        return cookie;
    }

    /** @return the CSRF token of the session's forms, or null */
    String csrf() {
        return csrf;
    }

    /** Forgets the session, as another client without it would be. */
    void forgetSession() {
        cookie = null;
    }

    /** Uses a cookie of the caller's choice (a stolen, forged or ended one). */
    void useCookie(String cookie) {
        this.cookie = cookie;
    }

    String get(String path) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + cookieHeader() + "\r\n");
    }

    /** Posts a form from the page's own origin, with the session's cookie if there is one. */
    String post(String path, String form) throws IOException {
        return post(path, form, "Host: 127.0.0.1:" + port + "\r\nOrigin: http://127.0.0.1:" + port + "\r\n");
    }

    /** Posts a form with the given Host and Origin lines ({@code "Host: ...\r\nOrigin: ...\r\n"}). */
    String post(String path, String form, String hostAndOrigin) throws IOException {
        byte[] body = form.getBytes(StandardCharsets.US_ASCII);
        return send("POST " + path + " HTTP/1.1\r\n" + hostAndOrigin + cookieHeader()
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length + "\r\n\r\n" + form);
    }

    /** Posts one of the page's forms with the session's CSRF token. */
    String postWithCsrf(String path, String fields) throws IOException {
        return post(path, "csrf=" + csrf + (fields.isEmpty() ? "" : "&" + fields));
    }

    /** Sends a request as written (Connection: close added) and returns the raw answer. */
    String send(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
            socket.setSoTimeout(10_000);
            String closing = request.replaceFirst("\r\n", "\r\nConnection: close\r\n");
            socket.getOutputStream().write(closing.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String cookieHeader() {
        return cookie == null ? "" : "Cookie: " + cookie + "\r\n";
    }
}
