package dev.autocert4j.tls;

import dev.autocert4j.testkit.OpenSslClient;
import dev.autocert4j.testkit.SlowTlsClients;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link GuardedTlsServer} and {@link TlsPolicy} attacked from other loopback addresses: slow and
 * idle clients, a dripped hello, too many connections from one address, weak TLS, renegotiation.
 * Network deadlines are real time with generous bounds.
 */
class GuardedTlsServerTest {

    private static final Duration LEGITIMATE_BOUND = Duration.ofSeconds(2);

    private final SniKeyManager keys = new SniKeyManager();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closing) {
            closeable.close();
        }
    }

    /** Answers "ok" to each line the client sends, until it closes. */
    private GuardedTlsServer.Builder echo() {
        return GuardedTlsServer.builder(keys.sslContext()).address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .handler(connection -> {
                    InputStream in = connection.input();
                    OutputStream out = connection.output();
                    int b;
                    while ((b = in.read()) >= 0) {
                        if (b == '\n') {
                            out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                });
    }

    private GuardedTlsServer started(GuardedTlsServer.Builder builder) throws IOException {
        GuardedTlsServer server = builder.start();
        closing.add(server);
        return server;
    }

    private static InetSocketAddress address(GuardedTlsServer server) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    }

    /** A legitimate handshake and one request-answer; the time it took. */
    private static Duration timedLegitimateExchange(InetSocketAddress address) throws IOException {
        long started = System.nanoTime();
        try (SSLSocket socket = TlsClient.create().open(address, "portal.example.com")) {
            assertThat(exchange(socket)).isEqualTo("ok");
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static String exchange(SSLSocket socket) throws IOException {
        socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        byte[] answer = socket.getInputStream().readNBytes(3);
        return new String(answer, StandardCharsets.US_ASCII).trim();
    }

    @Test
    void twoHundredSlowAndIdleClientsFromOtherAddressesDoNotDelayALegitimateClient() throws Exception {
        // deadlines long enough that the attackers' connections outlive setting them all up on a busy machine
        GuardedTlsServer server = started(echo().handshakeTimeout(Duration.ofSeconds(60)).idleTimeout(Duration.ofSeconds(60)));
        SlowTlsClients attackers = SlowTlsClients.mixed(address(server), 200);
        closing.add(attackers);

        Duration took = timedLegitimateExchange(address(server));

        assertThat(server.openConnections()).as("the attackers still hold their connections").isGreaterThanOrEqualTo(190);
        assertThat(took).as("a handshake and a request while 200 slow clients hold connections").isLessThan(LEGITIMATE_BOUND);
    }

    @Test
    void aHelloDrippedByteByByteIsDroppedAtTheHandshakeDeadline() throws Exception {
        GuardedTlsServer server = started(echo().handshakeTimeout(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(30)));
        byte[] hello = SlowTlsClients.clientHello();
        long started = System.nanoTime();
        try (Socket dripper = new Socket()) {
            dripper.bind(new InetSocketAddress(SlowTlsClients.attackerAddress(0), 0));
            dripper.connect(address(server));
            OutputStream out = dripper.getOutputStream();
            boolean dropped = false;
            // one byte every 50 ms would take the whole hello well over 10 s; the idle timeout never fires
            for (int i = 0; i < hello.length - 1 && !dropped; i++) {
                try {
                    out.write(hello[i]);
                    out.flush();
                    TimeUnit.MILLISECONDS.sleep(50); // the attack's pace, not a wait for the server
                } catch (IOException reset) {
                    dropped = true;
                }
            }
            dripper.setSoTimeout(10_000);
            if (!dropped) {
                assertThat(dripper.getInputStream().read()).isEqualTo(-1);
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("dropped at the 1 s handshake deadline")
                .isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
        assertThat(server.openConnections()).isZero();
    }

    @Test
    void anAddressHoldsNoMoreThanItsCapWhileOthersAreStillServed() throws Exception {
        GuardedTlsServer server = started(echo().maxConnectionsPerAddress(4));
        InetAddress attacker = SlowTlsClients.attackerAddress(7);
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(SlowTlsClients.open(address(server), attacker, SlowTlsClients.Kind.IDLE_AFTER_HANDSHAKE));
        }
        held.forEach(socket -> closing.add(socket));

        assertThatThrownBy(() -> SlowTlsClients.open(address(server), attacker, SlowTlsClients.Kind.IDLE_AFTER_HANDSHAKE))
                .as("a fifth connection from the same address").isInstanceOf(IOException.class);
        assertThat(exchange((SSLSocket) held.get(0))).as("the address's first four still work").isEqualTo("ok");
        assertThat(timedLegitimateExchange(address(server))).isLessThan(LEGITIMATE_BOUND);
    }

    @Test
    void whenFullTheConnectionThatWaitedLongestMakesRoomForANewClient() throws Exception {
        GuardedTlsServer server = started(echo().maxConnections(8));
        SlowTlsClients attackers = SlowTlsClients.mixed(address(server), 8);
        closing.add(attackers);

        assertThat(timedLegitimateExchange(address(server))).isLessThan(LEGITIMATE_BOUND);
        assertThat(server.openConnections()).isLessThanOrEqualTo(8);
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        GuardedTlsServer server = started(echo().idleTimeout(Duration.ofMillis(500)));
        try (SSLSocket socket = TlsClient.create().open(address(server), null)) {
            long started = System.nanoTime(); // the server's wait for the next line starts after it answers
            assertThat(exchange(socket)).isEqualTo("ok");
            assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(450), Duration.ofSeconds(4));
        }
    }

    @Test
    void aTls11OrCbcClientIsRefusedWhileAnAeadClientIsServed() throws Exception {
        GuardedTlsServer server = started(echo());
        assertThat(openssl(server, "-tls1_1", "-cipher", "ALL:@SECLEVEL=0")).as("TLS 1.1").isNotZero();
        assertThat(openssl(server, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA"
                + ":ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:AES128-GCM-SHA256:AES128-SHA")).as("CBC or RSA key exchange").isNotZero();
        assertThat(openssl(server, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256"))
                .as("an AEAD suite under TLS 1.2").isZero();
    }

    /** Runs openssl s_client for one handshake; its exit code. */
    private static int openssl(GuardedTlsServer server, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
                "-servername", "portal.example.com"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    @Test
    void aClientInitiatedRenegotiationIsRefused() throws Exception {
        GuardedTlsServer server = started(echo());
        try (SSLSocket socket = TlsClient.create().withProtocols("TLSv1.2").open(address(server), "portal.example.com")) {
            assertThat(exchange(socket)).isEqualTo("ok");
            assertThatThrownBy(() -> {
                socket.startHandshake();
                exchange(socket);
            }).as("a second handshake on the connection").isInstanceOf(IOException.class);
        }
    }

    @Test
    void aRenegotiationRequestFromOpenSslIsCutOffWithAnErrorNeverAnOrderlyClose() throws Exception {
        GuardedTlsServer server = started(echo());

        OpenSslClient.Outcome outcome = OpenSslClient.renegotiate(address(server));

        assertThat(outcome.output()).contains("RENEGOTIATING");
        assertThat(outcome.closedInOrder()).as("a close_notify after the request: " + outcome.output()).isFalse();
        assertThat(outcome.exitCode()).as("s_client's exit code (0 reads as a renegotiation let through)").isNotZero();
    }

    @Test
    void aRefusedEngineWritesNothingMoreNotEvenTheCloseNotifyOfItsHost() throws Exception {
        RenegotiationRefusingEngine engine = new RenegotiationRefusingEngine(keys.sslContext().createSSLEngine());
        assertThatThrownBy(() -> EngineLoop.renegotiate(engine)).isInstanceOf(SSLException.class);

        engine.closeOutbound();
        ByteBuffer written = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        assertThat(engine.wrap(ByteBuffer.allocate(0), written).bytesProduced()).isZero();
        assertThat(engine.isOutboundDone()).isTrue();
    }

    /**
     * Close returns only once the accepting thread has left {@code accept()} and ended: nothing of
     * the listener is left running, so the port is the host's again (the TLS-ALPN-01 plugin gives
     * port 443 back this way).
     */
    @Test
    void whenCloseReturnsTheAcceptingThreadHasEndedAndThePortCanBeBoundAgain() throws Exception {
        for (int round = 0; round < 20; round++) {
            String name = "close-test-" + round;
            GuardedTlsServer server = echo().name(name).start();
            InetSocketAddress address = address(server);

            server.close();

            assertThat(Thread.getAllStackTraces().keySet()).as("round " + round)
                    .noneMatch(thread -> thread.getName().startsWith(name + "-accept") && thread.isAlive());
            try (ServerSocket again = new ServerSocket()) {
                again.bind(address);
            }
        }
    }

    @Test
    void theContextGivenToHostsOffersOnlyTheAeadSuitesOfTls12AndLater() {
        SSLContext context = keys.sslContext();
        assertThat(context.getDefaultSSLParameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(context.getDefaultSSLParameters().getCipherSuites()).isNotEmpty().allMatch(TlsPolicy.CIPHER_SUITES::contains);
        assertThat(context.createSSLEngine().getEnabledCipherSuites()).allMatch(suite -> suite.contains("_GCM_") || suite.contains("CHACHA20"));
        assertThat(context.getDefaultSSLParameters().getUseCipherSuitesOrder()).isTrue();
    }

    @Test
    void renegotiationThroughTheGuardsEngineIsRefused() throws Exception {
        SSLContext plain = SSLContext.getInstance("TLS");
        plain.init(new javax.net.ssl.KeyManager[]{keys}, null, null);
        EngineLoop.renegotiate(plain.createSSLEngine()); // the JDK's own engine lets the client renegotiate

        SSLContext context = keys.sslContext();
        assertThatThrownBy(() -> EngineLoop.renegotiate(new RenegotiationRefusingEngine(context.createSSLEngine())))
                .isInstanceOf(SSLException.class).hasMessageContaining("renegotiation is refused");
    }
}
