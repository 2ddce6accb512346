package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.JdkHttpsHost;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The renewal checks, driven by a moved clock, renew a short-lived Pebble certificate, and a
 * running JDK HttpsServer (through the SNI key manager) serves the new one on the next handshake
 * without a restart.
 */
class LiveRenewalIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static final String BINDING = "http://live.autocert4j.test:8080";

    /** A TLS handshake that trusts only Pebble's root, so the chain served must verify. */
    private static SSLSocket handshake(JdkHttpsHost host, X509Certificate root) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("pebble-root", root);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), host.port());
        socket.setSoTimeout(10_000);
        javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName("live.autocert4j.test")));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    @Test
    void renewsWhenTimeMovesIntoTheWindowAndServesTheNewCertificateLive() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (JdkHttpsHost host = new JdkHttpsHost(BINDING);
             TestChallengeServer challenges = new TestChallengeServer(PEBBLE.httpChallengePort());
             AutoCert autoCert = Enrollments.autoCert(PEBBLE, host, challenges, store)
                     .clock(clock)
                     .certificateLifetime(Duration.ofDays(2))
                     .build()) {
            X509Certificate root = PEBBLE.rootCertificate();
            autoCert.enroll(Enrollments.request(BINDING).toBuilder().httpsPort(host.port()).build());
            IssuedCertificate first = store.loadCertificate("live.autocert4j.test").orElseThrow();
            SSLSocket openConnection = handshake(host, root);
            assertThat(servedSerial(openConnection)).isEqualTo(first.leaf().getSerialNumber());

            clock.advance(Duration.ofHours(12));
            autoCert.checkNow();
            assertThat(store.certificateSaves()).as("not due half a day into a 2-day certificate").isEqualTo(1);

            clock.advance(Duration.ofHours(13));
            autoCert.checkNow();

            IssuedCertificate renewed = store.loadCertificate("live.autocert4j.test").orElseThrow();
            assertThat(store.certificateSaves()).isEqualTo(2);
            assertThat(renewed.leaf().getSerialNumber()).isNotEqualTo(first.leaf().getSerialNumber());
            assertThat(renewed.leaf().getPublicKey()).isNotEqualTo(first.leaf().getPublicKey());
            assertThat(autoCert.status("live.autocert4j.test").serialNumber())
                    .isEqualTo(renewed.leaf().getSerialNumber().toString(16));
            try (SSLSocket next = handshake(host, root)) {
                assertThat(servedSerial(next)).isEqualTo(renewed.leaf().getSerialNumber());
            }
            assertThat(openConnection.isClosed()).isFalse();
            assertThat(servedSerial(openConnection)).as("open connection keeps its session")
                    .isEqualTo(first.leaf().getSerialNumber());
            openConnection.close();
        }
    }

    private static java.math.BigInteger servedSerial(SSLSocket socket) throws Exception {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
}
