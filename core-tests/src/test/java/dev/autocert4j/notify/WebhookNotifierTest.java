package dev.autocert4j.notify;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.ChallengeFailedException;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real HTTP server receives the webhook; retries run with zero delays, so nothing waits for time. */
class WebhookNotifierTest {

    private static final Instant NOW = Instant.parse("2026-11-26T22:00:00Z");

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private HttpServer server;
    private WebhookNotifier notifier;

    private record Received(String body, String contentType, String authorization) {
    }

    @BeforeEach
    void startReceiver() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks/T0/secret-token", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(body, exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/T0/secret-token");
    }

    private WebhookNotifier.Builder notifier() {
        return WebhookNotifier.to(url()).clock(new MutableClock(NOW)).retryDelays(List.of(Duration.ZERO, Duration.ZERO));
    }

    private Received next() throws InterruptedException {
        Received next = received.poll(10, TimeUnit.SECONDS);
        assertThat(next).as("a webhook request arrived").isNotNull();
        return next;
    }

    private static ChallengeFailedException challengeFailed() {
        return new ChallengeFailedException("Let's Encrypt", "invalid",
                URI.create("http://portal.example.com/.well-known/acme-challenge/abc"), null, "Connection \"refused\"");
    }

    @Test
    void aFailurePostsReadableJsonWithTheReasonAndTheNextAttempt() throws Exception {
        notifier = notifier().header("Authorization", "Bearer hook-secret").build();

        notifier.failed("portal.example.com", challengeFailed(), NOW.plus(Duration.ofHours(1)));

        Received request = next();
        assertThat(request.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(request.authorization()).isEqualTo("Bearer hook-secret");
        assertThat(request.body())
                .startsWith("{\"text\":\"autocert4j: obtaining the certificate for portal.example.com failed: The Let's"
                        + " Encrypt HTTP challenge failed with status 'invalid'")
                .contains("\"event\":\"failed\",\"domain\":\"portal.example.com\",\"time\":\"2026-11-26T22:00:00Z\"")
                .contains("Connection \\\"refused\\\"")
                .contains("http://portal.example.com/.well-known/acme-challenge/abc")
                .endsWith(",\"nextAttempt\":\"2026-11-26T23:00:00Z\"}");
    }

    @Test
    void expiringSoonNamesTheExpiry() throws Exception {
        notifier = notifier().build();

        notifier.expiringSoon("portal.example.com", Instant.parse("2026-12-01T00:00:00Z"));

        assertThat(next().body()).contains("\"event\":\"expiring-soon\"")
                .contains("\"notAfter\":\"2026-12-01T00:00:00Z\"")
                .contains("expires 2026-12-01T00:00:00Z and renewing it keeps failing");
    }

    @Test
    void serverErrorsAreRetriedUntilDelivered() throws Exception {
        statuses.add(503);
        statuses.add(500);
        notifier = notifier().build();

        notifier.expiringSoon("portal.example.com", NOW.plus(Duration.ofDays(3)));

        String first = next().body();
        assertThat(next().body()).isEqualTo(first);
        assertThat(next().body()).as("third attempt, answered 200").isEqualTo(first);
        assertThat(notifier.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(received).as("no attempt after success").isEmpty();
    }

    @Test
    void aClientErrorIsNotRetriedAndRetriesStopAfterTheLastDelay() throws Exception {
        statuses.add(404);
        notifier = notifier().build();
        notifier.expiringSoon("refused.example.com", NOW);
        assertThat(notifier.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(next().body()).contains("refused.example.com");
        assertThat(received).as("404 is not retried").isEmpty();

        statuses.add(500);
        statuses.add(500);
        statuses.add(500);
        statuses.add(500);
        notifier.expiringSoon("failing.example.com", NOW);
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThat(next().body()).contains("failing.example.com");
        }
        assertThat(notifier.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(received).as("one try and two retries, then given up").isEmpty();
        assertThat(statuses).as("the fourth 500 was never asked for").hasSize(1);
    }

    @Test
    void obtainedCertificatesAreSentOnlyWhenAskedFor() throws Exception {
        notifier = notifier().build();
        notifier.obtained(TestCertificates.issued("quiet.example.com"), true);
        assertThat(notifier.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(received).as("the obtained event was not sent").isEmpty();
        notifier.close();

        notifier = notifier().notifyObtained(true).build();
        notifier.obtained(TestCertificates.issued("portal.example.com"), true);
        assertThat(next().body()).contains("\"event\":\"renewed\"").contains("\"domain\":\"portal.example.com\"")
                .contains("\"serialNumber\":");
    }

    @Test
    void refusesWhatIsNotAnHttpUrlOrAHeaderThatWouldSplitTheRequest() {
        assertThatThrownBy(() -> WebhookNotifier.to(URI.create("ftp://hooks.example.com/x")))
                .isInstanceOf(InvalidInputException.class).hasMessage("webhookUrl must be an absolute http or https URL");
        assertThatThrownBy(() -> WebhookNotifier.to(URI.create("/relative")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> WebhookNotifier.to(url()).header("X-Token", "a\r\nInjected: yes"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> WebhookNotifier.to(url()).retryDelays(List.of(Duration.ofSeconds(-1))))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void neverShowsTheSecretPathOfTheUrl() {
        notifier = notifier().build();

        assertThat(notifier.toString()).isEqualTo("WebhookNotifier[http://127.0.0.1:" + server.getAddress().getPort() + "]");
    }
}
