package dev.autocert4j.testing;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.PendingChallenge;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A plain JDK HTTP server answering HTTP-01 tokens, for core's tests (the production responder
 * lives in the challenge-http module, which core cannot depend on). It can be told to go deaf to
 * simulate a firewall or a wrong DNS record.
 */
public final class TestChallengeServer implements ChallengeSolver, AutoCloseable {

    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Boolean> everPublished = new ConcurrentHashMap<>();
    private final AtomicBoolean answering = new AtomicBoolean(true);
    private final HttpServer server;

    /**
     * @param port the loopback port to listen on
     */
    public TestChallengeServer(int port) throws IOException {
        this(new InetSocketAddress("127.0.0.1", port));
    }

    /**
     * @param address the address to listen on, such as {@code [::1]:5002}
     */
    public TestChallengeServer(InetSocketAddress address) throws IOException {
        server = HttpServer.create(address, 16);
        server.createContext("/.well-known/acme-challenge/", exchange -> {
            String token = exchange.getRequestURI().getPath().substring("/.well-known/acme-challenge/".length());
            String answer = answering.get() ? tokens.get(token) : null;
            if (answer == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = answer.getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @Override
    public ChallengeType type() {
        return ChallengeType.HTTP_01;
    }

    @Override
    public void present(PendingChallenge challenge) {
        tokens.put(challenge.token(), challenge.keyAuthorization());
        everPublished.put(challenge.token(), true);
    }

    @Override
    public void cleanUp(PendingChallenge challenge) {
        tokens.remove(challenge.token());
    }

    /** @param answer whether published tokens are answered (false: every request gets 404) */
    public void answering(boolean answer) {
        answering.set(answer);
    }

    /** @return how many tokens are published now */
    public int publishedCount() {
        return tokens.size();
    }

    /** @return how many tokens were ever published */
    public int everPublishedCount() {
        return everPublished.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
