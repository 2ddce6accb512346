package dev.autocert4j.examples;

import dev.autocert4j.Binding;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.SlowTlsClients;
import dev.autocert4j.testkit.TestCertificateAuthority;
import dev.autocert4j.testkit.TestSsl;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo portal's HTTPS attacked: 200 slow or idle TLS clients from other loopback addresses
 * while a visitor's handshake and request are timed, too many connections from one address, and
 * testssl.sh's verdict on its TLS.
 */
class DemoPortalHttpsUnderAttackIT {

    private static final TestCertificateAuthority CA = new TestCertificateAuthority("Demo HTTPS attack CA");
    private static final Duration VISITOR_BOUND = Duration.ofSeconds(2);

    private final int httpsPort = Ports.free();
    private DemoPortal portal;

    @BeforeEach
    void start() throws Exception {
        portal = new DemoPortal(List.of(Binding.parse("http://portal.example.com:" + Ports.free())), "127.0.0.1",
                new Http01Responder(), false, true);
        portal.start();
        portal.install(Binding.parse("https://portal.example.com:" + httpsPort), CA.issue("portal.example.com"));
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    private InetSocketAddress https() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort);
    }

    /** A visitor's handshake and home page; the time it took. */
    private Duration timedVisit() throws IOException {
        long started = System.nanoTime();
        try (SSLSocket socket = TlsClient.create().open(https(), "portal.example.com")) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: portal.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .startsWith("HTTP/1.1 200").contains("autocert4j demo portal");
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Test
    void twoHundredSlowAndIdleClientsFromOtherAddressesDoNotKeepAVisitorOut() throws Exception {
        try (SlowTlsClients attackers = SlowTlsClients.mixed(https(), 200)) {
            assertThat(attackers.count()).isEqualTo(200);
            assertThat(timedVisit()).as("a visit while 200 slow clients hold connections").isLessThan(VISITOR_BOUND);
        }
    }

    @Test
    void oneAddressCannotHoldMoreThanItsShare() throws Exception {
        InetAddress attacker = SlowTlsClients.attackerAddress(9);
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                held.add(SlowTlsClients.open(https(), attacker, SlowTlsClients.Kind.SILENT));
            }
            Socket extra = SlowTlsClients.open(https(), attacker, SlowTlsClients.Kind.SILENT);
            held.add(extra);
            extra.setSoTimeout(5_000);
            assertThat(extra.getInputStream().read()).as("the 17th connection from one address is closed at once").isEqualTo(-1);
            assertThat(timedVisit()).isLessThan(VISITOR_BOUND);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void testsslFindsNothingOfMediumSeverityOrMore() throws Exception {
        TestSsl.assertStrong(TestSsl.scan(httpsPort, TestSsl.reportFolder()));
    }
}
