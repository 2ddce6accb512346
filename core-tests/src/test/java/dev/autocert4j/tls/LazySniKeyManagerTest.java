package dev.autocert4j.tls;

import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testing.TlsTestServer;
import dev.autocert4j.testkit.TestCertificateAuthority;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Certificates put into the SNI key manager by metadata alone, loaded by the first handshake that needs them. */
class LazySniKeyManagerTest {

    private static final TestCertificateAuthority CA = new TestCertificateAuthority("Lazy SNI test CA");

    private final SniKeyManager keys = new SniKeyManager(2);
    private final TlsClient client = TlsClient.create();
    private TlsTestServer server;

    /** A loader that counts its calls, and can be told to fail. */
    private static final class CountingLoader implements Supplier<IssuedCertificate> {
        final IssuedCertificate certificate;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicBoolean failing = new AtomicBoolean();

        CountingLoader(IssuedCertificate certificate) {
            this.certificate = certificate;
        }

        @Override
        public IssuedCertificate get() {
            calls.incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException("store unavailable");
            }
            return certificate;
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        server = new TlsTestServer(keys.sslContext());
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private CountingLoader putLazily(String... names) {
        CountingLoader loader = new CountingLoader(CA.issue(names));
        keys.putLazily(loader.certificate.metadata(), loader);
        return loader;
    }

    private String servedSerial(String serverName) throws Exception {
        X509Certificate leaf = client.handshake(server.address(), serverName).get(0);
        return leaf.getSerialNumber().toString(16);
    }

    private static String serial(CountingLoader loader) {
        return loader.certificate.metadata().serialNumber();
    }

    @Test
    void aCertificateIsLoadedByTheFirstHandshakeForItsNameAndOnlyOnce() throws Exception {
        CountingLoader portal = putLazily("portal.example.com");
        CountingLoader shop = putLazily("shop.example.com");

        assertThat(portal.calls).as("nothing loaded before a handshake").hasValue(0);
        assertThat(keys.names()).containsExactlyInAnyOrder("portal.example.com", "shop.example.com");

        assertThat(servedSerial("portal.example.com")).isEqualTo(serial(portal));
        assertThat(servedSerial("portal.example.com")).isEqualTo(serial(portal));
        assertThat(portal.calls).hasValue(1);
        assertThat(shop.calls).as("a name nobody asked for stays unloaded").hasValue(0);
        assertThat(keys.certificateFor("portal.example.com")).contains(portal.certificate);
    }

    @Test
    void concurrentFirstHandshakesLoadACertificateOnce() throws Exception {
        CountingLoader portal = putLazily("portal.example.com");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> handshakes = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                handshakes.add(pool.submit(() -> servedSerial("portal.example.com")));
            }
            for (Future<String> handshake : handshakes) {
                assertThat(handshake.get()).isEqualTo(serial(portal));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(portal.calls).hasValue(1);
    }

    @Test
    void wildcardsAndTheDefaultNameAreLoadedToo() throws Exception {
        CountingLoader wildcard = putLazily("example.com", "*.example.com");

        assertThat(servedSerial("shop.example.com")).isEqualTo(serial(wildcard));
        assertThat(servedSerial(null)).as("no SNI: the first certificate put").isEqualTo(serial(wildcard));
        assertThat(wildcard.calls).hasValue(1);
    }

    @Test
    void beyondTheCapacityTheLeastRecentlyUsedIsLetGoAndLoadedAgainWhenAskedFor() throws Exception {
        CountingLoader a = putLazily("a.example.com");
        CountingLoader b = putLazily("b.example.com");
        CountingLoader c = putLazily("c.example.com");

        servedSerial("a.example.com");
        servedSerial("b.example.com");
        servedSerial("a.example.com"); // b is now the least recently used
        servedSerial("c.example.com"); // a third one loaded: b is let go

        assertThat(servedSerial("a.example.com")).isEqualTo(serial(a));
        assertThat(a.calls).as("still loaded").hasValue(1);
        assertThat(servedSerial("b.example.com")).isEqualTo(serial(b));
        assertThat(b.calls).as("let go, then loaded again").hasValue(2);
        assertThat(c.calls).hasValue(1);
        assertThat(keys.names()).containsExactlyInAnyOrder("a.example.com", "b.example.com", "c.example.com");
    }

    @Test
    void aLoaderThatFailsIsTriedAgainAtTheNextHandshake() throws Exception {
        CountingLoader portal = putLazily("portal.example.com");
        portal.failing.set(true);

        assertThat(servedSerial("portal.example.com")).as("a temporary certificate, not the real one")
                .isNotEqualTo(serial(portal));

        portal.failing.set(false);
        assertThat(servedSerial("portal.example.com")).isEqualTo(serial(portal));
        assertThat(portal.calls).hasValueGreaterThanOrEqualTo(2);
    }

    @Test
    void aCertificatePutLaterReplacesTheLazyOneWithoutLoadingIt() throws Exception {
        CountingLoader stored = putLazily("portal.example.com");
        IssuedCertificate renewed = CA.issue("portal.example.com");

        keys.put(renewed);

        assertThat(servedSerial("portal.example.com")).isEqualTo(renewed.metadata().serialNumber());
        assertThat(stored.calls).hasValue(0);
    }

    @Test
    void aLoadedCertificateReplacedByARenewalIsNoLongerCountedAgainstTheCapacity() throws Exception {
        CountingLoader a = putLazily("a.example.com");
        CountingLoader b = putLazily("b.example.com");
        servedSerial("a.example.com");
        servedSerial("b.example.com");

        IssuedCertificate renewedA = CA.issue("a.example.com");
        keys.put(renewedA);
        CountingLoader c = putLazily("c.example.com");
        servedSerial("c.example.com");

        assertThat(servedSerial("b.example.com")).as("two loaded lazily: within the capacity").isEqualTo(serial(b));
        assertThat(b.calls).hasValue(1);
        assertThat(servedSerial("a.example.com")).isEqualTo(renewedA.metadata().serialNumber());
        assertThat(a.calls).hasValue(1);
        assertThat(c.calls).hasValue(1);
    }

    @Test
    void aRemovedLazyNameIsNoLongerServed() throws Exception {
        CountingLoader a = putLazily("a.example.com");
        CountingLoader b = putLazily("b.example.com");

        assertThat(keys.remove("b.example.com")).isTrue();

        assertThat(keys.names()).containsExactly("a.example.com");
        assertThat(servedSerial("b.example.com")).as("the default instead").isEqualTo(serial(a));
        assertThat(b.calls).hasValue(0);
    }
}
