package dev.autocert4j.spring.boot;

import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.micrometer.AutoCertMetrics;
import dev.autocert4j.spring.boot.portal.Events;
import dev.autocert4j.spring.boot.portal.Portal;
import dev.autocert4j.spring.boot.portal.PortalApplication;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RawHttp;
import dev.autocert4j.testkit.TlsClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.net.ssl.SSLSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application with only the {@code autocert4j.*} properties (and Spring Security
 * forcing HTTPS and a login everywhere) gets its certificate from a real Pebble on the real embedded
 * server — Tomcat or Jetty, as the Maven execution chooses — renews it live, and reports it in
 * health, info and metrics.
 */
@SpringBootTest(classes = {PortalApplication.class, StarterIT.Listening.class},
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = "autocert4j.redirect-to-https=false")
@DirtiesContext
class StarterIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    @TempDir
    static Path state;

    @DynamicPropertySource
    static void autocert4j(DynamicPropertyRegistry registry) {
        Portal.properties(registry, PEBBLE, state);
    }

    @TestConfiguration
    static class Listening {
        @Bean
        Events events() {
            return new Events();
        }
    }

    @Autowired
    WebServerApplicationContext context;
    @Autowired
    AutoCert autoCert;
    @Autowired
    Events events;
    @Autowired
    AutoCertHealthIndicator health;
    @Autowired
    AutoCertInfoContributor info;
    @Autowired
    MeterRegistry meters;
    @Autowired
    Http01Responder challenges;

    private int httpsPort;
    private static IssuedCertificate first;

    @BeforeEach
    void awaitTheFirstCertificate() throws Exception {
        httpsPort = Portal.requireServerUnderTest(context);
        synchronized (StarterIT.class) {
            if (first == null) {
                first = events.nextInstalled();
            }
        }
    }

    private String servedSerial() throws Exception {
        return Portal.served(httpsPort).getSerialNumber().toString(16);
    }

    @Test
    void theServerServesThePebbleIssuedCertificateOverTheSslBundle() throws Exception {
        List<X509Certificate> chain = TlsClient.create()
                .handshake(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort), Portal.DOMAIN);
        PEBBLE.verifyChain(chain);
        CertificateStatus status = autoCert.status(Portal.DOMAIN);
        assertThat(chain.get(0).getSerialNumber().toString(16)).isEqualTo(status.serialNumber());
        assertThat(status.lastError()).as("the TLS check after installing saw it served").isNull();
        assertThat(state.resolve("store/certificates/" + Portal.DOMAIN + ".p12")).exists();
        try (SSLSocket https = TlsClient.create().open(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort),
                Portal.DOMAIN)) {
            assertThat(RawHttp.exchange(https, "GET / HTTP/1.1\r\nHost: " + Portal.DOMAIN + "\r\nConnection: close\r\n\r\n"))
                    .as("the application itself, behind its login").startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void renewNowIsLiveWithoutARestartWhileAnOpenConnectionKeepsItsCertificate() throws Exception {
        String before = servedSerial();
        try (SSLSocket open = TlsClient.create().open(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort),
                Portal.DOMAIN)) {
            CertificateStatus renewed = autoCert.renewNow(Portal.DOMAIN);

            assertThat(renewed.serialNumber()).isNotEqualTo(before);
            assertThat(servedSerial()).isEqualTo(renewed.serialNumber());
            assertThat(((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16))
                    .isEqualTo(before);
            assertThat(RawHttp.exchange(open, "GET / HTTP/1.1\r\nHost: " + Portal.DOMAIN + "\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void springSecurityRedirectsPlainHttpButNeverTheChallenge() throws Exception {
        int httpPort = PEBBLE.httpChallengePort();
        assertThat(Portal.plainGet(httpPort, "/account")).as("Spring Security's requiresSecure")
                .matches("(?s)HTTP/1.1 30[12].*Location: https://.*");

        challenges.publish("token-123", "token-123.thumbprint");
        try {
            assertThat(Portal.plainGet(httpPort, "/.well-known/acme-challenge/token-123"))
                    .startsWith("HTTP/1.1 200").endsWith("\r\n\r\ntoken-123.thumbprint");
        } finally {
            challenges.withdraw("token-123");
        }
        assertThat(Portal.plainGet(httpPort, "/.well-known/acme-challenge/unknown")).startsWith("HTTP/1.1 404");
    }

    @Test
    void healthIsUpAndInfoShowsTheCertificate() {
        var health = this.health.health(true);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("domain", Portal.DOMAIN)
                .containsEntry("names", List.of(Portal.DOMAIN)).containsKeys("serialNumber", "notAfter", "nextCheck")
                .doesNotContainKey("lastError");

        Info.Builder builder = new Info.Builder();
        info.contribute(builder);
        @SuppressWarnings("unchecked")
        Map<String, Object> section = (Map<String, Object>) builder.build().getDetails().get("autocert4j");
        assertThat(section.get("ca")).isEqualTo(PEBBLE.directoryUri().toString());
        Map<?, ?> domains = (Map<?, ?>) section.get("domains");
        assertThat(List.copyOf(domains.keySet())).isEqualTo(List.of(Portal.DOMAIN));
    }

    @Test
    void metricsShowTheExpiryAndTheSuccessfulAttempt() {
        assertThat(meters).isInstanceOf(SimpleMeterRegistry.class);
        double secondsLeft = meters.get(AutoCertMetrics.EXPIRY).tag("domain", Portal.DOMAIN).gauge().value();
        assertThat(secondsLeft).isPositive();
        assertThat(meters.get(AutoCertMetrics.ATTEMPTS).tags("domain", Portal.DOMAIN, "outcome", "success")
                .counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get(AutoCertMetrics.ISSUANCE).tag("outcome", "success").timer().count())
                .isGreaterThanOrEqualTo(1);
    }
}
