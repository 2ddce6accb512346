package dev.autocert4j.http;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
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
}
