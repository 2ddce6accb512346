package dev.autocert4j;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The self-check against real HTTP servers on the IPv4 and IPv6 loopback addresses. */
class ChallengeSelfCheckTest {

    private static final String DOMAIN = "portal.example.com";
    private static final String TOKEN = "tok-123";
    private static final String KEY_AUTHORIZATION = "tok-123.thumbprint";
    private static final String PATH = "/.well-known/acme-challenge/" + TOKEN;

    private final List<HttpServer> servers = new ArrayList<>();
    private InetAddress ipv4;
    private InetAddress ipv6;
    private int port;

    @BeforeEach
    void pickAddresses() throws IOException {
        ipv4 = InetAddress.getByName("127.0.0.1");
        ipv6 = InetAddress.getByName("::1");
        port = dev.autocert4j.testkit.Ports.free();
    }

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
    }

    private void serve(InetAddress address, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 8);
        server.createContext("/", handler);
        server.start();
        servers.add(server);
    }

    private static HttpHandler answering(int status, String body, String location) {
        return exchange -> {
            if (location != null) {
                exchange.getResponseHeaders().set("Location", location);
            }
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            exchange.close();
        };
    }

    private static HttpHandler challenge() {
        return exchange -> answering(exchange.getRequestURI().getPath().equals(PATH) ? 200 : 404,
                exchange.getRequestURI().getPath().equals(PATH) ? KEY_AUTHORIZATION : "", null).handle(exchange);
    }

    private SelfCheckReport check(InetAddress... addresses) {
        return ChallengeSelfCheck.standard().withPort(port).withTimeout(Duration.ofMillis(500))
                .withResolver(host -> {
                    if (!host.equals(DOMAIN)) {
                        throw new UnknownHostException(host);
                    }
                    return List.of(addresses);
                })
                .check(DOMAIN, TOKEN, KEY_AUTHORIZATION);
    }

    @Test
    void passesWhenEveryAddressAnswersTheKeyAuthorization() throws Exception {
        serve(ipv4, challenge());
        serve(ipv6, challenge());

        SelfCheckReport report = check(ipv4, ipv6);

        assertThat(report.passed()).as(report.summary()).isTrue();
        assertThat(report.results()).hasSize(2);
        assertThat(report.summary()).contains("every address (2) answered");
    }

    @Test
    void aChunkedAnswerIsReadWholeAndPasses() throws Exception {
        serve(ipv4, exchange -> {
            exchange.sendResponseHeaders(200, 0); // the JDK server sends an unknown length as chunked
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(KEY_AUTHORIZATION.substring(0, 5).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                out.write(KEY_AUTHORIZATION.substring(5).getBytes(StandardCharsets.US_ASCII));
            }
            exchange.close();
        });

        SelfCheckReport report = check(ipv4);

        assertThat(report.passed()).as(report.summary()).isTrue();
    }

    @Test
    void chunksAreJoinedAndExtensionsIgnored() throws Exception {
        assertThat(ChallengeSelfCheck.dechunked("5\r\ntok-1\r\n3;name=x\r\n23.\r\n0\r\n\r\n")).isEqualTo("tok-123.");
        assertThatThrownBy(() -> ChallengeSelfCheck.dechunked("zz\r\nabc\r\n")).isInstanceOf(IOException.class);
    }

    @Test
    void anIpv6AddressThatDoesNotAnswerIsNamed() throws Exception {
        serve(ipv4, challenge());

        SelfCheckReport report = check(ipv4, ipv6);

        assertThat(report.passed()).isFalse();
        assertThat(report.results().get(0).passed()).isTrue();
        assertThat(report.results().get(1).problem()).contains("IPv6 address ::1").contains("connection refused")
                .contains("AAAA record");
    }

    @Test
    void anotherServerAnsweringIsReported() throws Exception {
        serve(ipv4, answering(200, "<html>Welcome to nginx!</html>", null));

        SelfCheckReport report = check(ipv4);

        assertThat(report.summary()).contains("answered 200 but not the key authorization")
                .contains("<html>Welcome to nginx!</html>");
    }

    @Test
    void aMissingHandlerIsReportedWithItsStatus() throws Exception {
        serve(ipv4, answering(404, "", null));

        assertThat(check(ipv4).summary()).contains("answered HTTP 404").contains("mount the challenge handler");
    }

    @Test
    void aRedirectToANonStandardPortIsReported() throws Exception {
        serve(ipv4, answering(301, "", "https://" + DOMAIN + ":8443" + PATH));

        assertThat(check(ipv4).summary()).contains("redirects to https://portal.example.com:8443" + PATH)
                .contains("only to ports 80 and 443");
    }

    @Test
    void followsARedirectOnTheSamePort() throws Exception {
        serve(ipv4, exchange -> {
            if (exchange.getRequestURI().getPath().equals(PATH)) {
                answering(302, "", "/moved" + PATH).handle(exchange);
            } else {
                answering(200, KEY_AUTHORIZATION, null).handle(exchange);
            }
        });

        SelfCheckReport report = check(ipv4);

        assertThat(report.passed()).as(report.summary()).isTrue();
    }

    @Test
    void aRedirectLoopIsReported() throws Exception {
        serve(ipv4, answering(302, "", PATH));

        assertThat(check(ipv4).summary()).contains("redirects more than 10 times");
    }

    @Test
    void aServerThatNeverAnswersIsReportedAsDroppedTraffic() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(port, 8, ipv4)) {
            Thread acceptor = new Thread(() -> {
                try {
                    accepted.add(silent.accept());
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.start();

            assertThat(check(ipv4).summary()).contains("No answer from").contains("a firewall probably drops the traffic");
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void aNameThatDoesNotResolveIsReported() {
        SelfCheckReport report = ChallengeSelfCheck.standard()
                .withResolver(host -> {
                    throw new UnknownHostException(host);
                })
                .check(DOMAIN, TOKEN, KEY_AUTHORIZATION);

        assertThat(report.passed()).isFalse();
        assertThat(report.summary()).contains("portal.example.com does not resolve (no A or AAAA record)");
    }

    @Test
    void writesIpv6AddressesTheWayPeopleReadThem() {
        assertThat(ChallengeSelfCheck.compressed("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(ChallengeSelfCheck.compressed("2001:db8:0:0:0:0:2:1")).isEqualTo("2001:db8::2:1");
        assertThat(ChallengeSelfCheck.compressed("2001:db8:0:1:0:0:0:0")).isEqualTo("2001:db8:0:1::");
        assertThat(ChallengeSelfCheck.compressed("fe80:0:0:0:0:0:0:1%eth0")).isEqualTo("fe80::1");
    }
}
