package dev.autocert4j.tls;

import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testing.TlsTestServer;
import dev.autocert4j.testkit.TestCertificateAuthority;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Handshakes for names nothing is served for, with on-demand issuance behind the key manager. */
class OnDemandSniKeyManagerTest {

    private static final TestCertificateAuthority CA = new TestCertificateAuthority("On-demand test CA");

    private final SniKeyManager keys = new SniKeyManager();
    private final TlsClient client = TlsClient.create();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final IssuedCertificate portal = CA.issue("portal.example.com");
    private TlsTestServer server;

    @BeforeEach
    void startServer() throws Exception {
        keys.put(portal);
        server = new TlsTestServer(keys.sslContext());
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private String served(String name) throws Exception {
        return client.handshake(server.address(), name).get(0).getSerialNumber().toString(16);
    }

    @Test
    void theHandshakeThatAskedForANewNameIsServedItsCertificateWhenItComesInTime() throws Exception {
        IssuedCertificate shop = CA.issue("shop.customer.test");
        keys.onDemand(name -> {
            asked.add(name);
            return CompletableFuture.supplyAsync(() -> {
                keys.put(shop);
                return true;
            });
        }, Duration.ofSeconds(10));

        assertThat(served("shop.customer.test")).isEqualTo(shop.metadata().serialNumber());
        assertThat(served("shop.customer.test")).isEqualTo(shop.metadata().serialNumber());
        assertThat(asked).as("asked once: the second handshake finds the certificate").containsExactly("shop.customer.test");
    }

    @Test
    void configuredNamesAndHandshakesWithoutSniNeverAsk() throws Exception {
        keys.onDemand(name -> {
            asked.add(name);
            return CompletableFuture.completedFuture(false);
        }, Duration.ofSeconds(10));

        assertThat(served("portal.example.com")).isEqualTo(portal.metadata().serialNumber());
        assertThat(served(null)).isEqualTo(portal.metadata().serialNumber());
        assertThat(asked).isEmpty();
    }

    @Test
    void aRefusedNameGetsWhatAnyUnknownNameGets() throws Exception {
        keys.onDemand(name -> {
            asked.add(name);
            return CompletableFuture.completedFuture(false);
        }, Duration.ofSeconds(10));

        assertThat(served("evil.attacker.test")).isEqualTo(portal.metadata().serialNumber());
        assertThat(asked).containsExactly("evil.attacker.test");
    }

    @Test
    void aHandshakeThatWouldWaitLongerThanTheWaitFailsCleanlyAndTheNextGetsTheCertificate() throws Exception {
        IssuedCertificate slow = CA.issue("slow.customer.test");
        CompletableFuture<Boolean> attempt = new CompletableFuture<>();
        keys.onDemand(name -> {
            asked.add(name);
            return attempt;
        }, Duration.ofSeconds(2));

        long started = System.nanoTime();
        assertThatThrownBy(() -> served("slow.customer.test")).isInstanceOf(SSLException.class);
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertThat(waited).as("waited on the attempt").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(waited).as("waited the wait once, not once per key type the TLS stack tries")
                .isLessThan(Duration.ofMillis(3500));

        keys.put(slow);
        attempt.complete(true);
        assertThat(served("slow.customer.test")).isEqualTo(slow.metadata().serialNumber());
    }

    @Test
    void theWaitMustBePositive() {
        assertThatThrownBy(() -> keys.onDemand(name -> CompletableFuture.completedFuture(false), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
