package dev.autocert4j.testkit;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.tls.GuardedTlsServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a server adapter must do against a real Pebble, for an adapter's integration test to
 * extend: obtain a certificate while the host redirects plain HTTP to HTTPS and wants a login
 * there (the challenge never redirected), open HTTPS at run time, make a renewal live for new
 * handshakes while an open connection keeps working, serve two names on one port by SNI, and
 * serve a stored certificate put on by its metadata, loading its key at the first handshake that
 * needs it. The
 * test starts its server before each test, listening for plain HTTP on Pebble's HTTP-01 port,
 * redirecting {@code /account} there to {@code https://<name>:<httpsPort>/account} and answering 401
 * on HTTPS; {@code www.<name>} is its second name.
 *
 * <p>The HTTPS the adapter opens is also attacked from other loopback addresses (real time, generous
 * bounds): 200 slow and idle clients must not delay a legitimate request, one address holds at most
 * {@link GuardedTlsServer#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS} connections, a dripped hello is dropped
 * at the handshake deadline ({@link GuardedTlsServer#DEFAULT_HANDSHAKE_TIMEOUT}), an idle connection at
 * the idle timeout ({@link GuardedTlsServer#DEFAULT_IDLE_TIMEOUT}), a client-initiated TLS 1.2
 * renegotiation is refused, and testssl.sh finds nothing of severity MEDIUM or higher.
 *
 * @since 0.2.0
 */
public abstract class ServerAdapterScenarios {

    /** @return the class's Pebble */
    protected abstract PebbleExtension pebble();

    /** @return the server's bindings */
    protected abstract BindingProvider bindings();

    /** @return an {@code AutoCert} over the server's bindings and challenge answering (closed by the test) */
    protected abstract AutoCert autoCert();

    /** @return the server's first public name, such as {@code tomcat.autocert4j.test} */
    protected abstract String name();

    /** @return the port HTTPS opens on */
    protected abstract int httpsPort();

    /**
     * @return whether the adapter serves a stored certificate from its metadata and loads the key at
     *         the first handshake for its name; an adapter that cannot (Tomcat keeps a key store per
     *         host) loads it when installed
     */
    protected boolean loadsStoredCertificatesLazily() {
        return true;
    }

    /**
     * @return whether the adapter takes a deleted certificate off ({@code BindingProvider.uninstall});
     *         one that cannot serves it until the server restarts
     */
    protected boolean takesDeletedCertificatesOff() {
        return true;
    }

    private EnrollmentRequest request(String host) {
        return EnrollmentRequest.builder().binding(new Binding("http", host, pebble().httpChallengePort()))
                .httpsPort(httpsPort()).email("admin@autocert4j.test").termsOfServiceAccepted(true).build();
    }

    private InetSocketAddress https() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort());
    }

    private String servedSerial(String serverName) throws IOException {
        return TlsClient.create().servedSerial(https(), serverName);
    }

    private String plain(String request) throws IOException {
        return RawHttp.plain(pebble().httpChallengePort(), request);
    }

    private String getOverHttps(SSLSocket socket) throws IOException {
        return RawHttp.exchange(socket, "GET /account HTTP/1.1\r\nHost: " + name() + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void obtainsACertificateAndOpensHttpsAtRunTimeWhileEverythingElseIsRedirectedAndLocked() throws Exception {
        assertThat(plain("GET /account HTTP/1.1\r\nHost: " + name() + "\r\n\r\n")).as("the host's redirect")
                .matches("(?is)HTTP/1\\.1 30[12] .*\r\nlocation: https://" + name().replace(".", "\\.") + ":" + httpsPort()
                        + "/account\r\n.*");
        assertThat(plain("GET /.well-known/acme-challenge/unknown HTTP/1.1\r\nHost: " + name() + "\r\n\r\n"))
                .as("never redirected").startsWith("HTTP/1.1 404");

        CertificateStatus status = autoCert().enroll(request(name()));

        assertThat(status.installResult()).isEqualTo(InstallResult.LIVE);
        assertThat(status.lastError()).as("the check after install saw the certificate served").isNull();
        assertThat(bindings().bindings()).contains(new Binding("https", name(), httpsPort()));
        List<X509Certificate> chain = TlsClient.create().handshake(https(), name());
        pebble().verifyChain(chain);
        assertThat(chain.get(0).getSerialNumber().toString(16)).isEqualTo(status.serialNumber());
        try (SSLSocket socket = TlsClient.create().open(https(), name())) {
            assertThat(getOverHttps(socket)).as("HTTPS reaches the host's own login").startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void aRenewalIsLiveForNewConnectionsAndAnOpenConnectionKeepsWorking() throws Exception {
        String first = autoCert().enroll(request(name())).serialNumber();
        try (SSLSocket open = TlsClient.create().open(https(), name())) {
            String renewed = autoCert().renewNow(name()).serialNumber();

            assertThat(renewed).isNotEqualTo(first);
            assertThat(servedSerial(name())).isEqualTo(renewed);
            assertThat(((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16))
                    .isEqualTo(first);
            assertThat(getOverHttps(open)).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void twoNamesOnOneHttpsPortAreServedBySni() throws Exception {
        String apex = autoCert().enroll(request(name())).serialNumber();
        String www = autoCert().enroll(request("www." + name())).serialNumber();

        assertThat(servedSerial(name())).isEqualTo(apex);
        assertThat(servedSerial("www." + name())).isEqualTo(www);
        assertThat(servedSerial(null)).as("no SNI: the first name's").isEqualTo(apex);
    }

    @Test
    void aCertificateDeletedWithItsEnrollmentIsTakenOffWhereTheAdapterCanAndTheOtherNameStaysServed() throws Exception {
        String apex = autoCert().enroll(request(name())).serialNumber();
        String www = autoCert().enroll(request("www." + name())).serialNumber();

        autoCert().unmanageAndDelete("www." + name());

        if (takesDeletedCertificatesOff()) {
            assertThat(servedSerial("www." + name())).as("no longer the deleted certificate").isNotEqualTo(www);
        } else {
            assertThat(servedSerial("www." + name())).as("served until the server restarts").isEqualTo(www);
        }
        assertThat(servedSerial(name())).isEqualTo(apex);
    }

    @Test
    void aStoredCertificateInstalledByItsMetadataIsServed() throws Exception {
        IssuedCertificate stored = new TestCertificateAuthority("Stored certificates").issue("www." + name());
        AtomicInteger loads = new AtomicInteger();

        InstallResult result = bindings().installStored(new Binding("https", name(), httpsPort()), stored.metadata(),
                () -> {
                    loads.incrementAndGet();
                    return stored;
                });

        assertThat(result).isEqualTo(InstallResult.LIVE);
        if (loadsStoredCertificatesLazily()) {
            assertThat(loads).as("no key loaded before a handshake asks for the name").hasValue(0);
        } else {
            assertThat(loads).as("loaded when installed").hasValue(1);
        }
        assertThat(servedSerial("www." + name())).isEqualTo(stored.metadata().serialNumber());
        assertThat(servedSerial("www." + name())).isEqualTo(stored.metadata().serialNumber());
        assertThat(loads).hasValue(1);
    }

    /** How long a legitimate handshake and request may take while attackers hold connections. */
    private static final Duration LEGITIMATE_BOUND = Duration.ofSeconds(2);
    /** Slack over a deadline for a busy machine. */
    private static final Duration DEADLINE_SLACK = Duration.ofSeconds(4);

    /** Opens the adapter's HTTPS with a test certificate for {@link #name()}: where the attackers connect. */
    private InetSocketAddress httpsWithATestCertificate() throws Exception {
        IssuedCertificate certificate = new TestCertificateAuthority("Attacked HTTPS").issue(name(), "www." + name());
        bindings().install(new Binding("https", name(), httpsPort()), certificate);
        return https();
    }

    /** A legitimate handshake and request from 127.0.0.1; the time it took. */
    private Duration timedLegitimateRequest() throws IOException {
        long started = System.nanoTime();
        try (SSLSocket socket = TlsClient.create().open(https(), name())) {
            assertThat(getOverHttps(socket)).as("the host's own answer").startsWith("HTTP/1.1 401");
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    @Test
    void twoHundredSlowAndIdleClientsFromOtherAddressesDoNotDelayALegitimateRequest() throws Exception {
        InetSocketAddress https = httpsWithATestCertificate();
        try (SlowTlsClients attackers = SlowTlsClients.mixed(https, 200)) {
            assertThat(attackers.count()).isEqualTo(200);

            assertThat(timedLegitimateRequest()).as("a handshake and a request while 200 slow clients hold connections")
                    .isLessThan(LEGITIMATE_BOUND);
        }
    }

    @Test
    void oneAddressCannotHoldMoreThanItsCapWhileOthersAreStillServed() throws Exception {
        InetSocketAddress https = httpsWithATestCertificate();
        InetAddress attacker = SlowTlsClients.attackerAddress(7);
        int cap = GuardedTlsServer.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < cap; i++) {
                held.add(SlowTlsClients.open(https, attacker, SlowTlsClients.Kind.IDLE_AFTER_HANDSHAKE));
            }

            long started = System.nanoTime();
            assertThatThrownBy(() -> {
                try (SSLSocket over = (SSLSocket) SlowTlsClients.open(https, attacker, SlowTlsClients.Kind.IDLE_AFTER_HANDSHAKE)) {
                    getOverHttps(over); // a server that closes only after the handshake fails here
                }
            }).as("connection %d from one address", cap + 1).isInstanceOf(IOException.class)
                    .isNotInstanceOf(SocketTimeoutException.class);
            assertThat(since(started)).as("refused at once, not left hanging").isLessThan(LEGITIMATE_BOUND);
            // answered, whatever the answer to a connection without SNI (Tomcat: 400, as SNI and Host differ)
            assertThat(getOverHttps((SSLSocket) held.get(0))).as("the address's first connections still work")
                    .startsWith("HTTP/1.1 ");
            assertThat(timedLegitimateRequest()).isLessThan(LEGITIMATE_BOUND);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aHelloDrippedByteByByteIsDroppedAtTheHandshakeDeadline() throws Exception {
        InetSocketAddress https = httpsWithATestCertificate();
        byte[] hello = SlowTlsClients.clientHello();
        Duration deadline = GuardedTlsServer.DEFAULT_HANDSHAKE_TIMEOUT;
        long started = System.nanoTime();
        try (Socket dripper = new Socket()) {
            dripper.bind(new InetSocketAddress(SlowTlsClients.attackerAddress(3), 0));
            dripper.connect(https);
            OutputStream out = dripper.getOutputStream();
            boolean dropped = false;
            // one byte every 100 ms would take the whole hello far past the deadline, never idle for long
            for (int i = 0; i < hello.length - 1 && !dropped && since(started).compareTo(deadline.plus(DEADLINE_SLACK)) < 0; i++) {
                try {
                    out.write(hello[i]);
                    out.flush();
                    TimeUnit.MILLISECONDS.sleep(100); // the attack's pace, not a wait for the server
                } catch (IOException reset) {
                    dropped = true;
                }
            }
            if (!dropped) {
                dripper.setSoTimeout(1_000);
                assertThat(dripper.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            }
        }
        assertThat(since(started)).as("dropped at the %s handshake deadline", deadline)
                .isBetween(deadline.minusMillis(500), deadline.plus(DEADLINE_SLACK));
    }

    @Test
    void aConnectionIdleAfterItsHandshakeIsClosedAtTheIdleTimeout() throws Exception {
        InetSocketAddress https = httpsWithATestCertificate();
        Duration timeout = GuardedTlsServer.DEFAULT_IDLE_TIMEOUT;
        try (Socket idle = SlowTlsClients.open(https, SlowTlsClients.attackerAddress(5), SlowTlsClients.Kind.IDLE_AFTER_HANDSHAKE)) {
            long started = System.nanoTime();
            idle.setSoTimeout((int) timeout.plus(DEADLINE_SLACK).toMillis());
            int read;
            try {
                read = idle.getInputStream().read();
            } catch (IOException closed) {
                read = -1; // reset or a TLS alert: closed either way, unless the read timed out
                assertThat(closed).as("the server closed it; the client did not give up")
                        .isNotInstanceOf(SocketTimeoutException.class);
            }
            assertThat(read).as("closed by the server").isEqualTo(-1);
            assertThat(since(started)).as("closed at the %s idle timeout", timeout)
                    .isBetween(timeout.minusMillis(500), timeout.plus(DEADLINE_SLACK));
        }
    }

    @Test
    void aClientInitiatedTls12RenegotiationIsRefused() throws Exception {
        InetSocketAddress https = httpsWithATestCertificate();
        try (SSLSocket plain = TlsClient.create().withProtocols("TLSv1.2").open(https, name())) {
            assertThat(getOverHttps(plain)).as("a TLS 1.2 client that does not renegotiate").startsWith("HTTP/1.1 401");
        }
        try (SSLSocket socket = TlsClient.create().withProtocols("TLSv1.2").open(https, name())) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");

            String answer;
            try {
                socket.startHandshake();
                answer = getOverHttps(socket);
            } catch (IOException refused) {
                answer = "refused: " + refused;
            }
            assertThat(answer).as("what a request after a second handshake on the connection gets").doesNotStartWith("HTTP/");
        }
    }

    @Test
    void aRenegotiationRequestIsCutOffWithAnErrorNeverClosedInOrderAsIfItHadSucceeded() throws Exception {
        InetSocketAddress https = httpsWithATestCertificate();

        OpenSslClient.Outcome outcome = OpenSslClient.renegotiate(https);

        assertThat(outcome.output()).as("s_client's output").contains("RENEGOTIATING");
        assertThat(outcome.closedInOrder()).as("a close_notify after the renegotiation request: " + outcome.output()).isFalse();
        assertThat(outcome.exitCode()).as("s_client's exit code (0 reads as a renegotiation let through)").isNotZero();
    }

    @Test
    void testSslFindsNothingOfMediumSeverityOrMoreOnTheHttpsOpenedHere() throws Exception {
        InetSocketAddress https = httpsWithATestCertificate();

        TestSsl.assertStrong(TestSsl.scan(https.getPort(), TestSsl.reportFolder()));
    }
}
