package dev.autocert4j.http;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Http01ListenerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersChallengesOnItsOwnPortAndNothingElse() throws Exception {
        Http01Responder responder = new Http01Responder();
        responder.publish("token-1", "token-1.thumbprint");
        try (Http01Listener listener = Http01Listener.start(responder,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = listener.address().getPort();

            assertThat(get(port, "/.well-known/acme-challenge/token-1").body()).isEqualTo("token-1.thumbprint");
            assertThat(get(port, "/").statusCode()).isEqualTo(404);
            assertThat(get(port, "/index.html").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void stopsListeningWhenClosed() throws Exception {
        Http01Listener listener = Http01Listener.start(new Http01Responder(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = listener.address().getPort();
        listener.close();

        assertThatThrownBy(() -> get(port, "/.well-known/acme-challenge/x")).isInstanceOf(ConnectException.class);
    }

    @Test
    void saysWhyAPortCannotBeBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());

            assertThatThrownBy(() -> Http01Listener.start(new Http01Responder(), address))
                    .hasMessageContaining("Cannot listen for HTTP-01 challenges on")
                    .hasMessageContaining("is the port in use");
        }
    }

    private static String raw(int port, String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void slowClientsDoNotKeepOthersWaiting() throws Exception {
        Http01Responder responder = new Http01Responder();
        responder.publish("token-2", "token-2.thumbprint");
        List<Socket> slow = new ArrayList<>();
        try (Http01Listener listener = Http01Listener.start(responder,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = listener.address().getPort();
            for (int i = 0; i < 20; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                socket.getOutputStream().write("GET /.well-known/acme-chall".getBytes(StandardCharsets.US_ASCII));
                slow.add(socket);
            }

            String response = raw(port, "GET /.well-known/acme-challenge/token-2 HTTP/1.1\r\nHost: a.example.com\r\n\r\n");

            assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("token-2.thumbprint");
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void anOversizedRequestHeadGetsNoAnswerAndTheListenerCarriesOn() throws Exception {
        Http01Responder responder = new Http01Responder();
        responder.publish("token-3", "token-3.thumbprint");
        try (Http01Listener listener = Http01Listener.start(responder,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = listener.address().getPort();
            String huge = "GET /.well-known/acme-challenge/token-3 HTTP/1.1\r\nX-Padding: " + "a".repeat(20_000) + "\r\n\r\n";

            assertThat(raw(port, huge)).startsWith("HTTP/1.1 404").doesNotContain("token-3.thumbprint");
            assertThat(raw(port, "HEAD /.well-known/acme-challenge/token-3 HTTP/1.1\r\n\r\n"))
                    .startsWith("HTTP/1.1 200 OK").doesNotContain("token-3.thumbprint");
            assertThat(raw(port, "GET /.well-known/acme-challenge/token-3?x=1 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404");
            assertThat(raw(port, "GET /.well-known/acme-challenge/..%2ftoken-3 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404");
            assertThat(raw(port, "garbage\r\n\r\n")).startsWith("HTTP/1.1 404");
        }
    }

    @Test
    void aHostCheckingResponderAnswersOnlyTheDomainTheTokenIsFor() throws Exception {
        Http01Responder responder = Http01Responder.checkingHost();
        responder.publish("portal.example.com", "token-4", "token-4.thumbprint");
        try (Http01Listener listener = Http01Listener.start(responder,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = listener.address().getPort();
            String path = "GET /.well-known/acme-challenge/token-4 HTTP/1.1\r\n";

            assertThat(raw(port, path + "Host: Portal.Example.com:80\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
            assertThat(raw(port, path + "Host: attacker.example.net\r\n\r\n")).startsWith("HTTP/1.1 404");
            assertThat(raw(port, path + "\r\n")).startsWith("HTTP/1.1 404");
        }
    }
}
