package dev.autocert4j.http;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The responder mounted on a real JDK HTTP server next to a handler that redirects everything to HTTPS. */
class Http01ResponderTest {

    private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
    private static final String KEY_AUTHORIZATION = TOKEN + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

    private final Http01Responder responder = new Http01Responder();
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Location", "https://portal.example.com/");
            exchange.getResponseHeaders().set("Strict-Transport-Security", "max-age=31536000");
            exchange.sendResponseHeaders(301, -1);
            exchange.close();
        });
        server.createContext(Http01Responder.PATH_PREFIX, responder.handler());
        server.start();
        responder.publish(TOKEN, KEY_AUTHORIZATION);
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private HttpResponse<String> send(String method, String rawPath) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + rawPath);
        return client.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAPublishedTokenWithTheExactKeyAuthorizationAheadOfTheRedirect() throws Exception {
        HttpResponse<String> response = send("GET", "/.well-known/acme-challenge/" + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(KEY_AUTHORIZATION);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain");
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.headers().firstValue("Strict-Transport-Security")).isEmpty();
        assertThat(send("GET", "/").statusCode()).as("the rest of the site still redirects").isEqualTo(301);
    }

    @Test
    void answersHeadWithoutABody() throws Exception {
        HttpResponse<String> response = send("HEAD", "/.well-known/acme-challenge/" + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aWithdrawnOrUnknownTokenIs404() throws Exception {
        assertThat(send("GET", "/.well-known/acme-challenge/unknownToken123").statusCode()).isEqualTo(404);

        responder.withdraw(TOKEN);

        HttpResponse<String> response = send("GET", "/.well-known/acme-challenge/" + TOKEN);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void anythingButAnExactGetOrHeadIs404() throws Exception {
        String path = "/.well-known/acme-challenge/" + TOKEN;
        assertThat(send("POST", path).statusCode()).isEqualTo(404);
        assertThat(send("PUT", path).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", path).statusCode()).isEqualTo(404);
        assertThat(send("GET", path + "/").statusCode()).isEqualTo(404);
        assertThat(send("GET", path + "?x=1").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/.well-known/acme-challenge/").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/.well-known/acme-challenge/" + TOKEN.substring(0, 10) + "%2D" + TOKEN.substring(11)).statusCode())
                .as("percent-encoded token").isEqualTo(404);
    }

    @Test
    void traversalAttemptsAre404() throws Exception {
        for (String path : new String[]{"/.well-known/acme-challenge/..%2f..%2fetc%2fpasswd",
                "/.well-known/acme-challenge/%2e%2e/%2e%2e/etc/passwd",
                "/.well-known/acme-challenge/%252e%252e%252fetc",
                "/.well-known/acme-challenge/" + TOKEN + "/../" + TOKEN}) {
            assertThat(rawStatus(path)).as(path).isEqualTo(404);
        }
    }

    @Test
    void anOverlongPathIs404() throws Exception {
        assertThat(send("GET", "/.well-known/acme-challenge/" + "a".repeat(300)).statusCode()).isEqualTo(404);
    }

    /** Sends the path byte for byte, without the client normalizing it. */
    private int rawStatus(String rawPath) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: portal.example.com\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    @Test
    void refusesToPublishSomethingThatIsNotAToken() {
        assertThatThrownBy(() -> responder.publish("../secret", "x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("token '../secret'");
    }
}
