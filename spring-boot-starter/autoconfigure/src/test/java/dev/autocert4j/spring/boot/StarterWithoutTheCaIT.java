package dev.autocert4j.spring.boot;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.spring.boot.portal.Events;
import dev.autocert4j.spring.boot.portal.Portal;
import dev.autocert4j.spring.boot.portal.PortalApplication;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CA is down when the application starts: the application starts anyway and serves a temporary
 * certificate, the health says why it is DOWN, the webhook hears of the failure, and the
 * certificate is obtained at the retry once the CA is back (the retry's time reached by moving the
 * clock, not by waiting).
 */
@SpringBootTest(classes = {PortalApplication.class, StarterWithoutTheCaIT.TestClock.class},
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext
class StarterWithoutTheCaIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    @TempDir
    static Path state;

    static final BlockingQueue<String> WEBHOOK = new LinkedBlockingQueue<>();
    static HttpServer webhook;

    @BeforeAll
    static void stopTheCaAndStartTheWebhook() throws Exception {
        PEBBLE.server().stop();
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/hook", exchange -> {
            WEBHOOK.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterAll
    static void stopTheWebhook() {
        webhook.stop(0);
    }

    @DynamicPropertySource
    static void autocert4j(DynamicPropertyRegistry registry) {
        Portal.properties(registry, PEBBLE, state);
        registry.add("autocert4j.notify.webhook-url", () -> "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
    }

    @TestConfiguration
    static class TestClock {
        @Bean
        MutableClock clock() {
            return new MutableClock(Instant.now());
        }

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
    AutoCertHealthIndicator health;
    @Autowired
    MutableClock clock;
    @Autowired
    Events events;

    @Test
    void theApplicationStartsWithoutTheCaAndGetsItsCertificateOnceTheCaIsBack() throws Exception {
        int httpsPort = Portal.requireServerUnderTest(context);
        AutoCertException failure = events.nextFailure();

        assertThat(Portal.served(httpsPort).getSubjectX500Principal().getName())
                .as("a temporary certificate until the first is obtained").contains("autocert4j temporary certificate");
        Health down = health.health(true);
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails()).containsEntry("lastError", failure.getMessage());
        assertThat(failure.getMessage()).contains(PEBBLE.directoryUri().getHost());
        String alarm = WEBHOOK.poll(30, TimeUnit.SECONDS);
        assertThat(alarm).as("the webhook heard of the failure").isNotNull()
                .contains("\"event\":\"failed\"").contains("\"domain\":\"" + Portal.DOMAIN + "\"");
        assertThat(Portal.plainGet(PEBBLE.httpChallengePort(), "/account?x=1")).as("autocert4j's own redirect")
                .startsWith("HTTP/1.1 301")
                .contains("Location: https://" + Portal.DOMAIN + ":" + httpsPort + "/account?x=1");

        PEBBLE.server().restart();
        clock.advance(Duration.ofMinutes(2)); // past the first retry's back-off
        autoCert.checkNow();

        CertificateStatus status = autoCert.status(Portal.DOMAIN);
        assertThat(status.lastError()).isNull();
        assertThat(Portal.served(httpsPort).getSerialNumber().toString(16)).isEqualTo(status.serialNumber());
        assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
    }
}
