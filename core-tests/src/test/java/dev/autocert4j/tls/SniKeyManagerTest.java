package dev.autocert4j.tls;

import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.testing.TlsTestServer;
import dev.autocert4j.testkit.TestCertificateAuthority;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which certificate each real TLS handshake gets from the SNI key manager. */
class SniKeyManagerTest {

    private static final TestCertificateAuthority CA = new TestCertificateAuthority("SNI test CA");

    private final SniKeyManager keys = new SniKeyManager();
    private final TlsClient client = TlsClient.create();
    private TlsTestServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new TlsTestServer(keys.sslContext());
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private X509Certificate served(String serverName) throws Exception {
        return client.handshake(server.address(), serverName).get(0);
    }

    private static String serial(IssuedCertificate certificate) {
        return certificate.metadata().serialNumber();
    }

    private static String serial(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }

    @Test
    void eachNameGetsItsOwnCertificateAndNoOrUnknownSniGetsTheDefault() throws Exception {
        IssuedCertificate a = CA.issue("a.example.com");
        IssuedCertificate b = CA.issue("b.example.com");
        keys.put(a);
        keys.put(b);

        assertThat(serial(served("a.example.com"))).isEqualTo(serial(a));
        assertThat(serial(served("b.example.com"))).isEqualTo(serial(b));
        assertThat(serial(served(null))).as("no SNI: the first certificate put").isEqualTo(serial(a));
        assertThat(serial(served("unknown.example.net"))).as("unknown SNI: the default").isEqualTo(serial(a));

        keys.defaultName("b.example.com");
        assertThat(serial(served(null))).isEqualTo(serial(b));
        assertThat(serial(served("unknown.example.net"))).isEqualTo(serial(b));
        assertThat(serial(served("A.Example.COM"))).as("names are case-insensitive").isEqualTo(serial(a));
    }

    @Test
    void aCertificateServesEveryNameOnItAndAnExactNameBeatsAWildcard() throws Exception {
        IssuedCertificate multi = CA.issue("example.com", "*.example.com");
        IssuedCertificate portal = CA.issue("portal.example.com");
        keys.put(multi);
        keys.put(portal);

        assertThat(serial(served("example.com"))).isEqualTo(serial(multi));
        assertThat(serial(served("shop.example.com"))).as("wildcard").isEqualTo(serial(multi));
        assertThat(serial(served("portal.example.com"))).as("exact beats wildcard").isEqualTo(serial(portal));
        assertThat(serial(served("a.b.example.com"))).as("a wildcard covers one label only").isEqualTo(serial(multi));
        assertThat(keys.names()).containsExactlyInAnyOrder("example.com", "*.example.com", "portal.example.com");
    }

    @Test
    void eachHandshakeGetsAKeyTypeTheClientAccepts() throws Exception {
        IssuedCertificate ec = CA.issue("portal.example.com");
        IssuedCertificate rsa = CA.issue(KeyType.RSA_2048.generate(), Instant.now(), Duration.ofDays(90), "portal.example.com");
        keys.put(ec);
        keys.put(rsa);

        X509Certificate viaRsaSuite = TlsClient.create().withProtocols("TLSv1.2")
                .withCipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .handshake(server.address(), "portal.example.com").get(0);
        X509Certificate viaEcSuite = TlsClient.create().withProtocols("TLSv1.2")
                .withCipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
                .handshake(server.address(), "portal.example.com").get(0);

        assertThat(serial(viaRsaSuite)).isEqualTo(serial(rsa));
        assertThat(serial(viaEcSuite)).isEqualTo(serial(ec));
    }

    @Test
    void replacingACertificateServesTheNewOneToTheNextHandshakeAndKeepsOpenConnections() throws Exception {
        IssuedCertificate first = CA.issue("portal.example.com");
        keys.put(first);
        try (var open = client.open(server.address(), "portal.example.com")) {
            IssuedCertificate renewed = CA.issue("portal.example.com");
            keys.put(renewed);

            assertThat(serial(served("portal.example.com"))).isEqualTo(serial(renewed));
            assertThat(serial((X509Certificate) open.getSession().getPeerCertificates()[0])).isEqualTo(serial(first));
            assertThat(open.isClosed()).isFalse();
        }
    }

    @Test
    void anExpectedNameGetsATemporarySelfSignedCertificateUntilItsRealOneArrives() throws Exception {
        keys.expect("portal.example.com");

        X509Certificate temporary = served("portal.example.com");

        assertThat(temporary.getSubjectX500Principal()).isEqualTo(temporary.getIssuerX500Principal());
        assertThat(temporary.getSubjectX500Principal().getName()).contains("CN=portal.example.com")
                .contains("temporary certificate");
        assertThat(keys.certificateFor("portal.example.com")).isEmpty();

        IssuedCertificate real = CA.issue("portal.example.com");
        keys.put(real);
        assertThat(serial(served("portal.example.com"))).isEqualTo(serial(real));
    }

    @Test
    void withNothingInstalledAHandshakeStillSucceedsWithANamelessTemporaryCertificate() throws Exception {
        X509Certificate temporary = served("anything.example.com");

        assertThat(temporary.getSubjectX500Principal().getName()).contains("temporary certificate")
                .doesNotContain("CN=");
        assertThat(serial(served(null))).as("the same temporary certificate, not one per name")
                .isEqualTo(serial(temporary));
    }

    @Test
    void unknownNamesNeverMintTemporaryCertificatesOnceARealOneIsInstalled() throws Exception {
        IssuedCertificate real = CA.issue("portal.example.com");
        keys.put(real);

        for (int i = 0; i < 20; i++) {
            assertThat(serial(served("random-" + i + ".example.net"))).isEqualTo(serial(real));
        }
    }

    @Test
    void aRemovedNameFallsBackToTheDefault() throws Exception {
        IssuedCertificate a = CA.issue("a.example.com");
        IssuedCertificate b = CA.issue("b.example.com");
        keys.put(a);
        keys.put(b);

        assertThat(keys.remove("b.example.com")).isTrue();

        assertThat(serial(served("b.example.com"))).isEqualTo(serial(a));
        assertThat(keys.remove("b.example.com")).isFalse();
    }

    @Test
    void swapsDuringAThousandConcurrentHandshakesNeverLeaveAHandshakeWithoutAKey() throws Exception {
        List<IssuedCertificate> certificates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            certificates.add(CA.issue("portal.example.com"));
        }
        Set<String> putSerials = ConcurrentHashMap.newKeySet();
        certificates.forEach(c -> putSerials.add(serial(c)));
        keys.put(certificates.get(0));
        AtomicBoolean swapping = new AtomicBoolean(true);
        CountDownLatch swapped = new CountDownLatch(100);
        Thread swapper = new Thread(() -> {
            for (int i = 1; swapping.get(); i++) {
                keys.put(certificates.get(i % certificates.size()));
                swapped.countDown();
            }
        });
        swapper.start();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> handshakes = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                handshakes.add(clients.submit(() -> serial(served("portal.example.com"))));
            }
            List<String> servedSerials = new ArrayList<>();
            for (Future<String> handshake : handshakes) {
                servedSerials.add(handshake.get(60, TimeUnit.SECONDS));
            }
            assertThat(swapped.await(10, TimeUnit.SECONDS)).as("the certificate was swapped all along").isTrue();
            assertThat(servedSerials).hasSize(1000).allMatch(putSerials::contains);
        } finally {
            swapping.set(false);
            swapper.join();
            clients.shutdownNow();
        }
    }

    @Test
    void aClientThatAcceptsNoKeyTypeOnOfferFailsTheHandshakeRatherThanGettingTheWrongKey() {
        keys.put(CA.issue("portal.example.com"));

        assertThatThrownBy(() -> TlsClient.create().withProtocols("TLSv1.2")
                .withCipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .handshake(server.address(), "portal.example.com"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void anAcmeTls1HandshakeGetsOnlyThePendingValidationCertificateOfItsName() throws Exception {
        keys.put(CA.issue("portal.example.com"));
        TlsClient validator = TlsClient.create().withApplicationProtocols(SniKeyManager.ACME_TLS_1);
        keys.tlsAlpn01Responder().present(validation("portal.example.com", "tok-1"));

        X509Certificate validation = validator.handshake(server.address(), "portal.example.com").get(0);

        byte[] extension = validation.getExtensionValue("1.3.6.1.5.5.7.1.31");
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest("tok-1.thumbprint".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(validation.getCriticalExtensionOIDs()).contains("1.3.6.1.5.5.7.1.31");
        assertThat(java.util.Arrays.copyOfRange(extension, extension.length - 32, extension.length)).isEqualTo(digest);
        assertThat(dev.autocert4j.CertificateMetadata.subjectAlternativeNames(validation)).containsExactly("portal.example.com");
        assertThat(serial(served("portal.example.com"))).as("without acme-tls/1, the real certificate")
                .isNotEqualTo(serial(validation));
        assertThatThrownBy(() -> validator.handshake(server.address(), "other.example.com"))
                .as("no pending challenge for that name: no certificate at all").isInstanceOf(java.io.IOException.class);

        keys.tlsAlpn01Responder().cleanUp(validation("portal.example.com", "tok-1"));
        assertThatThrownBy(() -> validator.handshake(server.address(), "portal.example.com"))
                .as("withdrawn").isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aValidationForAnIpAddressAnswersItsReverseName() throws Exception {
        keys.tlsAlpn01Responder().present(validation("192.0.2.7", "tok-2"));

        X509Certificate validation = TlsClient.create().withApplicationProtocols(SniKeyManager.ACME_TLS_1)
                .handshake(server.address(), "7.2.0.192.in-addr.arpa").get(0);

        assertThat(dev.autocert4j.CertificateMetadata.subjectAlternativeNames(validation)).containsExactly("192.0.2.7");
        assertThat(dev.autocert4j.internal.net.NameSyntax.reverseName("2001:db8:0:0:0:0:0:10"))
                .isEqualTo("0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
    }

    /** A pending TLS-ALPN-01 challenge for a name. */
    private static dev.autocert4j.spi.PendingChallenge validation(String name, String token) {
        return dev.autocert4j.spi.PendingChallenge.of(dev.autocert4j.ChallengeType.TLS_ALPN_01, name, token, token + ".thumbprint");
    }
}
