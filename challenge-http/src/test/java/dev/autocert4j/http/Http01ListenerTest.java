package dev.autocert4j.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Http01ListenerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Socket> attackers = new ArrayList<>();

    @AfterEach
    void closeAttackers() throws IOException {
        for (Socket socket : attackers) {
            socket.close();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Http01Listener listen(Http01Responder responder) throws IOException {
        return Http01Listener.start(responder, new InetSocketAddress(LOOPBACK, 0));
    }

    private static String raw(int port, String request) throws Exception {
        try (Socket socket = new Socket(LOOPBACK, port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Opens a connection from another loopback address (127.0.0.x), sending part of a head and nothing more. */
    private Socket idleConnection(int port, int fromAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + fromAddress), 0));
        socket.connect(new InetSocketAddress(LOOPBACK, port), 5_000);
        socket.getOutputStream().write("GET /.well-known/acme-chall".getBytes(StandardCharsets.US_ASCII));
        attackers.add(socket);
        return socket;
    }

    /** Holds idle connections from as many other addresses as needed to stay under the per-address limit. */
    private void holdIdleConnections(int port, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            idleConnection(port, 2 + i / Http01Listener.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
        }
    }

    @Test
    void answersChallengesOnItsOwnPortAndNothingElse() throws Exception {
        Http01Responder responder = new Http01Responder();
        responder.publish("token-1", "token-1.thumbprint");
        try (Http01Listener listener = listen(responder)) {
            int port = listener.address().getPort();

            assertThat(get(port, "/.well-known/acme-challenge/token-1").body()).isEqualTo("token-1.thumbprint");
            assertThat(get(port, "/").statusCode()).isEqualTo(404);
            assertThat(get(port, "/index.html").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void stopsListeningWhenClosed() throws Exception {
        Http01Listener listener = listen(new Http01Responder());
        int port = listener.address().getPort();
        listener.close();

        assertThatThrownBy(() -> get(port, "/.well-known/acme-challenge/x")).isInstanceOf(ConnectException.class);
    }

    @Test
    void closingClosesEveryOpenConnectionAtOnce() throws Exception {
        Http01Listener listener = Http01Listener.builder(new Http01Responder())
                .address(new InetSocketAddress(LOOPBACK, 0)).headTimeout(Duration.ofMinutes(5)).start();
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            idle.add(idleConnection(listener.address().getPort(), 2));
        }
        awaitOpenConnections(listener, 6);

        listener.close();

        for (Socket socket : idle) {
            socket.setSoTimeout(5_000); // far less than the five minutes the head may take
            assertThat(endOfStreamOrReset(socket.getInputStream())).as("closed by the listener").isTrue();
        }
        assertThat(listener.openConnections()).isZero();
    }

    private static boolean endOfStreamOrReset(InputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static void awaitOpenConnections(Http01Listener listener, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (listener.openConnections() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(listener.openConnections()).isEqualTo(count);
    }

    @Test
    void saysWhyAPortCannotBeBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            InetSocketAddress address = new InetSocketAddress(LOOPBACK, taken.getLocalPort());

            assertThatThrownBy(() -> Http01Listener.start(new Http01Responder(), address))
                    .hasMessageContaining("Cannot listen for HTTP-01 challenges on")
                    .hasMessageContaining("is the port in use");
        }
    }

    @Test
    void sixtyFourAndFiveHundredIdleConnectionsDoNotKeepTheChallengeWaiting() throws Exception {
        Http01Responder responder = new Http01Responder();
        responder.publish("token-2", "token-2.thumbprint");
        try (Http01Listener listener = listen(responder)) {
            int port = listener.address().getPort();
            for (int count : new int[]{64, 500}) {
                holdIdleConnections(port, count);

                long started = System.nanoTime();
                String response = raw(port, "GET /.well-known/acme-challenge/token-2 HTTP/1.1\r\nHost: a.example.com\r\n\r\n");
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("token-2.thumbprint");
                assertThat(took).as("with %d idle connections held", count).isLessThan(Duration.ofSeconds(2));
                assertThat(listener.openConnections()).isLessThanOrEqualTo(Http01Listener.DEFAULT_MAX_CONNECTIONS);
            }
        }
    }

    @Test
    void aCaValidatingTwentyFourNamesAtOnceFromOneAddressGetsEveryAnswer() throws Exception {
        Http01Responder responder = new Http01Responder();
        for (int i = 0; i < 24; i++) {
            responder.publish("burst-" + i, "burst-" + i + ".thumbprint");
        }
        try (Http01Listener listener = listen(responder)) {
            List<Socket> validations = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.9"), 0));
                socket.connect(listener.address(), 5_000);
                socket.setSoTimeout(5_000);
                attackers.add(socket);
                validations.add(socket);
            }
            awaitOpenConnections(listener, 24);

            for (int i = 0; i < 24; i++) {
                validations.get(i).getOutputStream().write(("GET /.well-known/acme-challenge/burst-" + i
                        + " HTTP/1.1\r\nHost: n" + i + ".example.com\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            for (int i = 0; i < 24; i++) {
                assertThat(new String(validations.get(i).getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                        .as("validation %d", i).startsWith("HTTP/1.1 200 OK").endsWith("burst-" + i + ".thumbprint");
            }
        }
    }

    @Test
    void madeUpTokensFromEightAddressesNeitherDelayNorStarveKnownTokensAndReachTheStoreABoundedNumberOfTimes()
            throws Exception {
        CountingTokenStore shared = new CountingTokenStore();
        AtomicLong frozenTime = new AtomicLong(); // no allowance refills during the test
        Http01Responder orderingNode = Http01Responder.sharedThrough(shared, frozenTime::get);
        Http01Responder answeringNode = Http01Responder.sharedThrough(shared, frozenTime::get);
        answeringNode.publish("local.example.com", "local-token", "local-token.thumbprint");
        int knownRequests = 20;
        for (int i = 0; i < knownRequests; i++) {
            orderingNode.publish("n" + i + ".example.com", "shared-" + i, "shared-" + i + ".thumbprint");
        }
        Duration slowest = Duration.ZERO;
        try (Http01Listener listener = listen(answeringNode);
             TokenFlood flood = TokenFlood.start(listener.address(), 500, 8, 2_000, Duration.ofSeconds(20))) {
            int port = listener.address().getPort();
            for (int i = 0; i < knownRequests; i++) {
                assertThat(flood.awaitStarted(100 * (i + 1), Duration.ofSeconds(10))).isTrue();
                long started = System.nanoTime();
                assertThat(raw(port, "GET /.well-known/acme-challenge/local-token HTTP/1.1\r\nHost: local.example.com\r\n\r\n"))
                        .startsWith("HTTP/1.1 200 OK").endsWith("local-token.thumbprint");
                assertThat(raw(port, "GET /.well-known/acme-challenge/shared-" + i + " HTTP/1.1\r\nHost: n" + i
                        + ".example.com\r\n\r\n")).as("another node's token %d", i)
                        .startsWith("HTTP/1.1 200 OK").endsWith("shared-" + i + ".thumbprint");
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                slowest = took.compareTo(slowest) > 0 ? took : slowest;
            }
            assertThat(flood.awaitFinished(Duration.ofSeconds(30))).isTrue();
            System.out.println("Flood: " + flood.summary() + "; slowest pair of known tokens: " + slowest.toMillis() + " ms");
            assertThat(flood.answered404()).as("the attacker's requests were answered too").isGreaterThan(1_000);
        }
        assertThat(slowest).isLessThan(Duration.ofSeconds(1));
        assertThat(shared.madeUpLookups.get()).as("the shared allowance (and each address's first request, from"
                        + " before it had missed), then nothing while time stands still")
                .isLessThanOrEqualTo(LookupBudget.MISSES_PER_SECOND + 8);
    }

    @Test
    void oneAddressGetsAtMostItsLimitOfConnections() throws Exception {
        try (Http01Listener listener = Http01Listener.builder(new Http01Responder())
                .address(new InetSocketAddress(LOOPBACK, 0)).headTimeout(Duration.ofMinutes(5))
                .maxConnectionsPerAddress(8).start()) {
            int port = listener.address().getPort();
            for (int i = 0; i < 8; i++) {
                idleConnection(port, 3);
            }
            awaitOpenConnections(listener, 8);

            Socket ninth = idleConnection(port, 3);

            ninth.setSoTimeout(5_000);
            assertThat(endOfStreamOrReset(ninth.getInputStream())).as("refused at once").isTrue();
            assertThat(listener.openConnections()).isEqualTo(8);
            assertThat(raw(port, "GET /.well-known/acme-challenge/x HTTP/1.1\r\n\r\n")).as("another address is served")
                    .startsWith("HTTP/1.1 404");
        }
    }

    @Test
    void malformedOrOversizedHeadsAndDuplicateHostsGet400AndTheListenerCarriesOn() throws Exception {
        Http01Responder responder = new Http01Responder();
        responder.publish("token-3", "token-3.thumbprint");
        try (Http01Listener listener = listen(responder)) {
            int port = listener.address().getPort();
            String huge = "GET /.well-known/acme-challenge/token-3 HTTP/1.1\r\nX-Padding: " + "a".repeat(20_000) + "\r\n\r\n";

            assertThat(raw(port, huge)).startsWith("HTTP/1.1 400").doesNotContain("token-3.thumbprint");
            assertThat(raw(port, "garbage\r\n\r\n")).startsWith("HTTP/1.1 400");
            assertThat(raw(port, "GET /.well-known/acme-challenge/token-3 HTTP/1.1\r\nHost: a.example.com\r\n"
                    + "Host: b.example.com\r\n\r\n")).startsWith("HTTP/1.1 400");
            assertThat(raw(port, "GET /.well-known/acme-challenge/token-3 HTTP/1.1\r\nno colon here\r\n\r\n"))
                    .startsWith("HTTP/1.1 400");
            assertThat(raw(port, "HEAD /.well-known/acme-challenge/token-3 HTTP/1.1\r\n\r\n"))
                    .startsWith("HTTP/1.1 200 OK").doesNotContain("token-3.thumbprint");
            assertThat(raw(port, "GET /.well-known/acme-challenge/token-3?x=1 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404");
            assertThat(raw(port, "GET /.well-known/acme-challenge/..%2ftoken-3 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404");
        }
    }

    @Test
    void aHostCheckingResponderAnswersOnlyTheDomainTheTokenIsFor() throws Exception {
        Http01Responder responder = Http01Responder.checkingHost();
        responder.publish("portal.example.com", "token-4", "token-4.thumbprint");
        try (Http01Listener listener = listen(responder)) {
            int port = listener.address().getPort();
            String path = "GET /.well-known/acme-challenge/token-4 HTTP/1.1\r\n";

            assertThat(raw(port, path + "Host: Portal.Example.com:80\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
            assertThat(raw(port, path + "Host: attacker.example.net\r\n\r\n")).startsWith("HTTP/1.1 404");
            assertThat(raw(port, path + "\r\n")).startsWith("HTTP/1.1 404");
            assertThat(raw(port, path + "\r\nHost: portal.example.com\r\n\r\n"))
                    .as("what follows the blank line is not a header").startsWith("HTTP/1.1 404");
        }
    }

    @Test
    void otherRequestsGetWhatTheHostAnswersButTheChallengePathNeverDoes() throws Exception {
        Http01Responder responder = new Http01Responder();
        responder.publish("token-5", "token-5.thumbprint");
        try (Http01Listener listener = Http01Listener.builder(responder).address(new InetSocketAddress(LOOPBACK, 0))
                .otherRequests(request -> Http01Listener.Response.redirect("https://portal.example.com" + request.path()))
                .start()) {
            int port = listener.address().getPort();

            assertThat(raw(port, "GET /login?next=%2F HTTP/1.1\r\nHost: portal.example.com\r\n\r\n"))
                    .startsWith("HTTP/1.1 301").contains("Location: https://portal.example.com/login?next=%2F\r\n");
            assertThat(raw(port, "GET /.well-known/acme-challenge/token-5 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200")
                    .endsWith("token-5.thumbprint");
            assertThat(raw(port, "GET /.well-known/acme-challenge/unknown HTTP/1.1\r\n\r\n"))
                    .as("never redirected, even for an unknown token").startsWith("HTTP/1.1 404");
        }
    }

    @Test
    void failingAcceptsBackOffInsteadOfSpinning() throws Exception {
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        ServerSocket failing = new ServerSocket() {
            private int failures;

            @Override
            public Socket accept() throws IOException {
                if (failures++ < 8) {
                    throw new SocketException("Too many open files");
                }
                return super.accept();
            }
        };
        try (Http01Listener listener = Http01Listener.builder(new Http01Responder())
                .address(new InetSocketAddress(LOOPBACK, 0)).pause(pauses::add).start(failing)) {
            assertThat(raw(listener.address().getPort(), "GET / HTTP/1.1\r\n\r\n")).as("serves after the failures")
                    .startsWith("HTTP/1.1 404");
        }

        assertThat(pauses).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40),
                Duration.ofMillis(80), Duration.ofMillis(160), Duration.ofMillis(320), Duration.ofMillis(640),
                Duration.ofSeconds(1));
    }
}
