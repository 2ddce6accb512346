package dev.autocert4j.bench;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.http.Http01Listener;
import dev.autocert4j.http.Http01Responder;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Servers for the load benchmark: two JDK HTTP servers alike but for their handler (one answers a
 * published HTTP-01 token through {@link Http01Responder#handler()}, the other a static 200 with a
 * body of the same length), and the standalone {@link Http01Listener}.
 * {@code ChallengeEndpoint <challenge-port> <static-port> <token> <listener-port>}; runs until killed.
 */
public final class ChallengeEndpoint {

    private ChallengeEndpoint() {
    }

    /**
     * @param args the ports for the challenge handler and the static handler, the token, the listener's port
     */
    public static void main(String[] args) throws Exception {
        // Without it the JDK server waits for delayed ACKs on keep-alive connections (about 40 ms a request).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        String token = args[2];
        String keyAuthorization = token + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";
        Http01Responder responder = new Http01Responder();
        responder.publish(token, keyAuthorization);

        HttpServer challenge = server(Integer.parseInt(args[0]));
        challenge.createContext(Http01Responder.PATH_PREFIX, responder.handler());
        HttpServer plain = server(Integer.parseInt(args[1]));
        byte[] body = keyAuthorization.getBytes(StandardCharsets.US_ASCII);
        plain.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        challenge.start();
        plain.start();
        Http01Listener.start(responder, new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[3])));
        System.out.println("READY");
        Thread.currentThread().join();
    }

    private static HttpServer server(int port) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        server.setExecutor(Executors.newFixedThreadPool(4));
        return server;
    }
}
