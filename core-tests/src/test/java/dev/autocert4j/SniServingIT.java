package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.JdkHttpsHost;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two names enrolled from Pebble onto one HTTPS port of a real JDK HttpsServer: each handshake
 * gets the certificate for the name it asks for, and the check after install sees what is served.
 */
class SniServingIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private TestChallengeServer challenges;
    private JdkHttpsHost host;
    private InMemoryCertificateStore store;
    private AutoCert autoCert;

    @BeforeEach
    void start() throws Exception {
        challenges = new TestChallengeServer(PEBBLE.httpChallengePort());
        host = new JdkHttpsHost("http://a.sni.test:8080", "http://b.sni.test:8080");
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
        X509Certificate leaf = TlsClient.create().handshake(host.address(), serverName).get(0);
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
        host.ignoringInstalls(true);

        assertThatThrownBy(() -> autoCert.renewNow("a.sni.test")).isInstanceOf(AutoCertException.class)
                .hasMessageContaining("but a TLS handshake there got serial " + first)
                .hasMessageContaining("The previous certificate was put back");

        String stored = store.loadMetadata("a.sni.test").orElseThrow().serialNumber();
        assertThat(stored).as("the new certificate is kept in the store").isNotEqualTo(first);
        assertThat(served("a.sni.test")).isEqualTo(first);
        assertThat(autoCert.status("a.sni.test").lastError()).contains("but a TLS handshake there got serial " + first);

        host.ignoringInstalls(false);
        assertThat(autoCert.renewNow("a.sni.test").lastError()).isNull();
        assertThat(served("a.sni.test")).isNotEqualTo(first);
    }
}
