package dev.autocert4j;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.TlsClient;
import dev.autocert4j.tls.SniKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two names enrolled from Pebble onto one HTTPS port of a real JDK HttpsServer: each handshake
 * gets the certificate for the name it asks for, and the check after install sees what is served.
 */
class SniServingIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    /** A host with one HTTPS listener whose certificates come from an SNI key manager. */
    private static final class SniHost implements BindingProvider, AutoCloseable {
        final SniKeyManager keys = new SniKeyManager();
        final HttpsServer server;
        final ExecutorService executor = Executors.newFixedThreadPool(4);
        volatile boolean ignoreInstalls;

        SniHost() throws Exception {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(keys.sslContext()));
            server.setExecutor(executor);
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public List<Binding> bindings() {
            return List.of(Binding.parse("http://a.sni.test:8080"), Binding.parse("http://b.sni.test:8080"));
        }

        @Override
        public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
            if (!ignoreInstalls) {
                keys.put(certificate);
            }
            return InstallResult.LIVE; // even when ignoring: the broken host the check after install exists for
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private TestChallengeServer challenges;
    private SniHost host;
    private InMemoryCertificateStore store;
    private AutoCert autoCert;

    @BeforeEach
    void start() throws Exception {
        challenges = new TestChallengeServer(PEBBLE.httpChallengePort());
        host = new SniHost();
        store = new InMemoryCertificateStore();
        autoCert = Enrollments.autoCert(PEBBLE, host, challenges, store).build();
    }

    @AfterEach
    void stop() {
        autoCert.close();
        host.close();
        challenges.close();
    }

    private EnrollmentRequest request(String binding) {
        return Enrollments.request(binding).toBuilder().httpsPort(host.port()).build();
    }

    private String served(String serverName) throws Exception {
        X509Certificate leaf = TlsClient.create()
                .handshake(new InetSocketAddress(InetAddress.getLoopbackAddress(), host.port()), serverName).get(0);
        return leaf.getSerialNumber().toString(16);
    }

    @Test
    void eachNameOnOnePortGetsItsOwnCertificateByRealHandshakes() throws Exception {
        String a = autoCert.enroll(request("http://a.sni.test:8080")).serialNumber();
        String b = autoCert.enroll(request("http://b.sni.test:8080")).serialNumber();

        assertThat(a).isNotEqualTo(b);
        assertThat(served("a.sni.test")).isEqualTo(a);
        assertThat(served("b.sni.test")).isEqualTo(b);
        assertThat(served(null)).as("no SNI: the first name's").isEqualTo(a);
        assertThat(served("unknown.sni.test")).as("unknown SNI: the first name's").isEqualTo(a);
    }

    @Test
    void aHostThatSaysLiveButKeepsServingTheOldCertificateIsCaughtAndRetried() throws Exception {
        String first = autoCert.enroll(request("http://a.sni.test:8080")).serialNumber();
        host.ignoreInstalls = true;

        assertThatThrownBy(() -> autoCert.renewNow("a.sni.test")).isInstanceOf(AutoCertException.class)
                .hasMessageContaining("but a TLS handshake there got serial " + first)
                .hasMessageContaining("The previous certificate was put back");

        String stored = store.loadMetadata("a.sni.test").orElseThrow().serialNumber();
        assertThat(stored).as("the new certificate is kept in the store").isNotEqualTo(first);
        assertThat(served("a.sni.test")).isEqualTo(first);
        assertThat(autoCert.status("a.sni.test").lastError()).contains("but a TLS handshake there got serial " + first);

        host.ignoreInstalls = false;
        assertThat(autoCert.renewNow("a.sni.test").lastError()).isNull();
        assertThat(served("a.sni.test")).isNotEqualTo(first);
    }
}
