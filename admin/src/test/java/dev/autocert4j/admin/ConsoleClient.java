package dev.autocert4j.admin;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser of the console, in process: keeps cookies, sends the page's own Host and Origin unless told otherwise. */
final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final AdminConsole console;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String host = "127.0.0.1:8081";
    private InetAddress address = InetAddress.getLoopbackAddress();

    ConsoleClient(AdminConsole console) {
        this.console = console;
    }

    ConsoleClient from(String address) throws Exception {
        this.address = InetAddress.getByName(address);
        return this;
    }

    AdminResponse get(String path) {
        return send(AdminRequest.builder("GET", path).header("Host", host));
    }

    AdminResponse post(String path, String form) {
        return send(AdminRequest.builder("POST", path).header("Host", host).header("Origin", "http://" + host)
                .header("Content-Type", "application/x-www-form-urlencoded").body(form.getBytes(StandardCharsets.UTF_8)));
    }

    AdminResponse send(AdminRequest.Builder request) {
        if (!cookies.isEmpty()) {
            StringBuilder header = new StringBuilder();
            cookies.forEach((name, value) -> header.append(header.length() == 0 ? "" : "; ").append(name).append('=').append(value));
            request.header("Cookie", header.toString());
        }
        AdminResponse response = console.handle(request.remoteAddress(address).build());
        for (String cookie : response.headers("Set-Cookie")) {
            String[] pair = cookie.split(";", 2)[0].split("=", 2);
            if (pair[1].isEmpty()) {
                cookies.remove(pair[0]);
            } else {
                cookies.put(pair[0], pair[1]);
            }
        }
        return response;
    }

    /** Logs in through the form with the token. */
    AdminResponse logIn(String token) {
        return post("/autocert4j/login", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** @return the CSRF token of the Certificates page */
    String csrf() {
        Matcher matcher = CSRF.matcher(get("/autocert4j/").bodyText());
        if (!matcher.find()) {
            throw new AssertionError("no CSRF token on the page");
        }
        return matcher.group(1);
    }

    Map<String, String> cookies() {
        return cookies;
    }
}
