package dev.autocert4j.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page spoken to in raw HTTP/1.1 from a chosen loopback address, the way curl or an
 * attacker's script would: logs in with the admin token and keeps the page's cookies (the session
 * and the CSRF cookie) and the CSRF token for the requests that follow.
 */
final class AdminClient {

    static final String SESSION_COOKIE = AdminTokenLogin.COOKIE;
    private static final Pattern SET_COOKIE = Pattern.compile("(?im)^Set-Cookie: ([^=\r\n]+)=([^;\r\n]*)");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final int port;
    private final String fromAddress;
    private final Map<String, String> cookies = new LinkedHashMap<>();
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

    /** Posts the login form; on success reads the page's CSRF token. */
    String logIn(String token) throws IOException {
        String answer = post("/admin/login", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        if (answer.startsWith("HTTP/1.1 303") && cookies.containsKey(SESSION_COOKIE)) {
            Matcher pageCsrf = CSRF.matcher(get("/admin"));
            assertThat(pageCsrf.find()).as("the page carries a CSRF token").isTrue();
            csrf = pageCsrf.group(1);
        }
        return answer;
    }

    /** @return the session cookie as the browser would send it back ({@code name=value}), or null */
    String cookie() {
        String id = cookies.get(SESSION_COOKIE);
        return id == null ? null : SESSION_COOKIE + "=" + id;
    }

    /** Uses a session cookie of the caller's choice (a stolen, forged or ended one), {@code name=value}. */
    void useCookie(String cookie) {
        String[] pair = cookie.split("=", 2);
        cookies.put(pair[0], pair[1]);
    }

    /** @return the CSRF token of the session's forms, or null */
    String csrf() {
        return csrf;
    }

    String get(String path) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + cookieHeader() + "\r\n");
    }

    /** Posts a form from the page's own origin, with the client's cookies. */
    String post(String path, String form) throws IOException {
        return post(path, form, "Host: 127.0.0.1:" + port + "\r\nOrigin: http://127.0.0.1:" + port + "\r\n");
    }

    /** Posts a form with the given Host and Origin lines ({@code "Host: ...\r\nOrigin: ...\r\n"}). */
    String post(String path, String form, String hostAndOrigin) throws IOException {
        byte[] body = form.getBytes(StandardCharsets.US_ASCII);
        return send("POST " + path + " HTTP/1.1\r\n" + hostAndOrigin
                + cookieHeader() + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                + "\r\n\r\n" + form);
    }

    /** Posts one of the page's forms with the session's CSRF token. */
    String postWithCsrf(String path, String fields) throws IOException {
        return post(path, "csrf=" + csrf + (fields.isEmpty() ? "" : "&" + fields));
    }

    /** Sends a request as written (Connection: close added), keeps the cookies the answer sets, returns the raw answer. */
    String send(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
            socket.setSoTimeout(10_000);
            String closing = request.replaceFirst("\r\n", "\r\nConnection: close\r\n");
            socket.getOutputStream().write(closing.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher setCookie = SET_COOKIE.matcher(answer.split("\r\n\r\n", 2)[0]);
            while (setCookie.find()) {
                if (setCookie.group(2).isEmpty()) {
                    cookies.remove(setCookie.group(1));
                } else {
                    cookies.put(setCookie.group(1), setCookie.group(2));
                }
            }
            return answer;
        }
    }

    private String cookieHeader() {
        if (cookies.isEmpty()) {
            return "";
        }
        StringBuilder header = new StringBuilder("Cookie: ");
        cookies.forEach((name, value) -> header.append(header.length() == 8 ? "" : "; ").append(name).append('=').append(value));
        return header.append("\r\n").toString();
    }
}
