package dev.autocert4j.tls;

import dev.autocert4j.testkit.SlowTlsClients;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The standalone TLS-ALPN-01 listener attacked from other loopback addresses while a validator
 * handshakes: 200 slow or idle clients, dripping hellos, a flood from one address, TLS 1.2.
 */
class TlsAlpn01ListenerUnderAttackTest {

    private static final String NAME = "alpn.example.com";
    private static final Duration VALIDATION_BOUND = Duration.ofSeconds(2);

    private final SniKeyManager keys = new SniKeyManager();

    private TlsAlpn01Listener start() throws IOException {
        keys.tlsAlpn01Responder().present(validation(NAME, "tok-1"));
        return TlsAlpn01Listener.start(keys, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private static InetSocketAddress address(TlsAlpn01Listener listener) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port());
    }

    /** A validator's handshake; the time it took. */
    private static Duration timedValidation(TlsAlpn01Listener listener) throws IOException {
        long started = System.nanoTime();
        List<X509Certificate> chain = TlsClient.create().withApplicationProtocols(SniKeyManager.ACME_TLS_1)
                .handshake(address(listener), NAME);
        assertThat(chain.get(0).getExtensionValue("1.3.6.1.5.5.7.1.31")).as("the acmeIdentifier extension").isNotNull();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Test
    void twoHundredSlowAndIdleClientsDoNotDelayAValidation() throws Exception {
        try (TlsAlpn01Listener listener = start();
             SlowTlsClients attackers = SlowTlsClients.mixed(address(listener), 200,
                     SlowTlsClients.Kind.SILENT, SlowTlsClients.Kind.HALF_HELLO)) {
            assertThat(attackers.count()).isEqualTo(200);
            assertThat(timedValidation(listener)).isLessThan(VALIDATION_BOUND);
        }
    }

    @Test
    void dozensOfDrippingConnectionsDoNotDelayAValidationAndAreDroppedAtTheDeadline() throws Exception {
        try (TlsAlpn01Listener listener = start()) {
            byte[] hello = SlowTlsClients.clientHello();
            List<Socket> drippers = new ArrayList<>();
            try {
                for (int i = 0; i < 32; i++) {
                    Socket socket = new Socket();
                    drippers.add(socket);
                    socket.bind(new InetSocketAddress(SlowTlsClients.attackerAddress(i), 0));
                    socket.connect(address(listener));
                }
                long started = System.nanoTime();
                int dropped = 0;
                // every connection gets one more byte each 100 ms: the idle timeout never fires, the deadline does
                for (int b = 0; b < hello.length - 1 && dropped < drippers.size(); b++) {
                    dropped = 0;
                    for (Socket socket : drippers) {
                        dropped += drip(socket, hello[b]) ? 0 : 1;
                    }
                    if (b == 3) {
                        assertThat(timedValidation(listener)).isLessThan(VALIDATION_BOUND);
                    }
                    TimeUnit.MILLISECONDS.sleep(100); // the attack's pace
                }
                assertThat(dropped).as("drippers dropped").isEqualTo(drippers.size());
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("within the 5 s handshake deadline, with slack")
                        .isLessThan(Duration.ofSeconds(9));
            } finally {
                for (Socket socket : drippers) {
                    socket.close();
                }
            }
        }
    }

    private static boolean drip(Socket socket, byte b) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(b);
            out.flush();
            return true;
        } catch (IOException reset) {
            return false;
        }
    }

    @Test
    void oneAddressHoldsAtMostItsCap() throws Exception {
        try (TlsAlpn01Listener listener = start()) {
            InetAddress attacker = SlowTlsClients.attackerAddress(3);
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < TlsAlpn01Listener.MAX_CONNECTIONS_PER_ADDRESS; i++) {
                    held.add(SlowTlsClients.open(address(listener), attacker, SlowTlsClients.Kind.SILENT));
                }
                Socket extra = SlowTlsClients.open(address(listener), attacker, SlowTlsClients.Kind.SILENT);
                held.add(extra);
                extra.setSoTimeout(5_000);
                assertThat(extra.getInputStream().read()).as("the connection over the cap is closed at once").isEqualTo(-1);
                assertThat(timedValidation(listener)).isLessThan(VALIDATION_BOUND);
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void onlyTls13IsOffered() throws Exception {
        try (TlsAlpn01Listener listener = start()) {
            assertThatThrownBy(() -> TlsClient.create().withProtocols("TLSv1.2").withApplicationProtocols(SniKeyManager.ACME_TLS_1)
                    .handshake(address(listener), NAME)).isInstanceOf(IOException.class);
        }
    }

    /** A pending TLS-ALPN-01 challenge for a name. */
    private static dev.autocert4j.spi.PendingChallenge validation(String name, String token) {
        return dev.autocert4j.spi.PendingChallenge.of(dev.autocert4j.ChallengeType.TLS_ALPN_01, name, token, token + ".thumbprint");
    }
}
