package dev.autocert4j.testkit;

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

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page (module {@code autocert4j-admin}) spoken to in raw HTTP/1.1 from a chosen loopback
 * address, the way curl or an attacker's script would: logs in with the admin token and keeps the
 * page's cookies (the session and the CSRF cookie) and the CSRF token for the requests that follow.
 * Paths are given from the server's root, mount path included ({@code /admin/renew}).
 *
 * @since 0.2.0
 */
public final class AdminClient {

    /** The name of the admin page's session cookie under its token login. */
    public static final String SESSION_COOKIE = "autocert4j_admin";

    private static final Pattern SET_COOKIE = Pattern.compile("(?im)^Set-Cookie: ([^=\r\n]+)=([^;\r\n]*)");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final int port;
    private final String fromAddress;
    private final String mountPath;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String csrf;

    /**
     * Creates a client without a session.
     *
     * @param port        the admin page's port on 127.0.0.1
     * @param fromAddress the loopback address requests come from, such as 127.0.0.2
     * @param mountPath   where the page is mounted, such as {@code /admin}
     */
    public AdminClient(int port, String fromAddress, String mountPath) {
        this.port = port;
        this.fromAddress = requireNonNull(fromAddress, "fromAddress");
        this.mountPath = requireNonNull(mountPath, "mountPath");
    }

    /**
     * Logs a new client in from 127.0.0.1 with the token in the file, asserting that it worked.
     *
     * @param port      the admin page's port on 127.0.0.1
     * @param mountPath where the page is mounted, such as {@code /admin}
     * @param tokenFile the admin token's file
     * @return the client, logged in
     * @throws IOException if the file cannot be read or the exchange fails
     */
    public static AdminClient loggedIn(int port, String mountPath, Path tokenFile) throws IOException {
        AdminClient client = new AdminClient(port, "127.0.0.1", mountPath);
        String answer = client.logIn(Files.readString(tokenFile).strip());
        assertThat(answer).as("login with the token in " + tokenFile).startsWith("HTTP/1.1 303");
        assertThat(client.cookie()).as("the session cookie " + SESSION_COOKIE + " after the login").isNotNull();
        return client;
    }

    /**
     * Posts the login form; on success reads the page's CSRF token.
     *
     * @param token the admin token to try
     * @return the raw answer to the login
     * @throws IOException if an exchange fails
     */
    public String logIn(String token) throws IOException {
        String answer = post(mountPath + "/login", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        if (answer.startsWith("HTTP/1.1 303") && cookies.containsKey(SESSION_COOKIE)) {
            Matcher pageCsrf = CSRF.matcher(get(mountPath));
            assertThat(pageCsrf.find()).as("the page carries a CSRF token").isTrue();
            csrf = pageCsrf.group(1);
        }
        return answer;
    }

    /**
     * The session cookie as the browser would send it back.
     *
     * @return {@code name=value}, or null without a session
     */
    public String cookie() {
        String id = cookies.get(SESSION_COOKIE);
        return id == null ? null : SESSION_COOKIE + "=" + id;
    }

    /**
     * Uses a cookie of the caller's choice from now on (a stolen, forged or ended session).
     *
     * @param cookie {@code name=value}
     */
    public void useCookie(String cookie) {
        String[] pair = cookie.split("=", 2);
        cookies.put(pair[0], pair[1]);
    }

    /**
     * The CSRF token of the session's forms.
     *
     * @return the token, or null before a login
     */
    public String csrf() {
        return csrf;
    }

    /**
     * Gets a path with the client's cookies.
     *
     * @param path the path from the server's root
     * @return the raw answer
     * @throws IOException if the exchange fails
     */
    public String get(String path) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + cookieHeader() + "\r\n");
    }

    /**
     * Posts a form from the page's own origin, with the client's cookies.
     *
     * @param path the path from the server's root
     * @param form the form, URL-encoded
     * @return the raw answer
     * @throws IOException if the exchange fails
     */
    public String post(String path, String form) throws IOException {
        return post(path, form, "Host: 127.0.0.1:" + port + "\r\nOrigin: http://127.0.0.1:" + port + "\r\n");
    }

    /**
     * Posts a form with the given {@code Host} and {@code Origin} lines, with the client's cookies.
     *
     * @param path          the path from the server's root
     * @param form          the form, URL-encoded
     * @param hostAndOrigin the header lines, {@code "Host: ...\r\nOrigin: ...\r\n"}
     * @return the raw answer
     * @throws IOException if the exchange fails
     */
    public String post(String path, String form, String hostAndOrigin) throws IOException {
        byte[] body = form.getBytes(StandardCharsets.US_ASCII);
        return send("POST " + path + " HTTP/1.1\r\n" + hostAndOrigin
                + cookieHeader() + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                + "\r\n\r\n" + form);
    }

    /**
     * Posts one of the page's forms with the session's CSRF token.
     *
     * @param path   the path from the server's root
     * @param fields the other fields, URL-encoded, or empty
     * @return the raw answer
     * @throws IOException if the exchange fails
     */
    public String postWithCsrf(String path, String fields) throws IOException {
        return post(path, "csrf=" + csrf + (fields.isEmpty() ? "" : "&" + fields));
    }

    /**
     * Sends a request as written ({@code Connection: close} added) and keeps the cookies the answer sets.
     *
     * @param request the request, ending with its body or an empty line
     * @return the raw answer
     * @throws IOException if the exchange fails or a read takes more than 10 s
     */
    public String send(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
            socket.setSoTimeout(10_000);
            String closing = request.replaceFirst("\r\n", "\r\nConnection: close\r\n");
            socket.getOutputStream().write(closing.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            keepCookies(answer.split("\r\n\r\n", 2)[0]);
            return answer;
        }
    }

    private void keepCookies(String headers) {
        Matcher setCookie = SET_COOKIE.matcher(headers);
        while (setCookie.find()) {
            if (setCookie.group(2).isEmpty()) {
                cookies.remove(setCookie.group(1));
            } else {
                cookies.put(setCookie.group(1), setCookie.group(2));
            }
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
