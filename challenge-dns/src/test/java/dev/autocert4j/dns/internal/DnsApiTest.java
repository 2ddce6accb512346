package dev.autocert4j.dns.internal;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DnsApiTest {

    private static final String TOKEN = "s3cr3t-t0ken-value";
    private static WireMockServer api;
    private final List<Duration> waits = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T22:00:00Z"), ZoneOffset.UTC);

    @BeforeAll
    static void startApi() {
        api = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        api.start();
    }

    @AfterAll
    static void stopApi() {
        api.stop();
    }

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    private DnsApi client() {
        return DnsApi.builder("example", URI.create(api.baseUrl() + "/v1"))
                .secretHeader("Authorization", "Bearer " + TOKEN, TOKEN)
                .requestTimeout(Duration.ofSeconds(20)) // generous: the machine may be loaded
                .clock(clock)
                .sleeper(waits::add)
                .build();
    }

    @Test
    void sendsJsonWithTheCredentialAndReadsTheAnswer() {
        api.stubFor(patch("/v1/zones/example.com.").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"rrsets\":[{\"name\":\"a.example.com.\"}]}"))
                .willReturn(aResponse().withStatus(200).withBody("{\"ok\":true}")));

        Object answer = client().send("PATCH", "/zones/" + DnsApi.segment("example.com."),
                Map.of("rrsets", List.of(Map.of("name", "a.example.com."))));

        assertThat(answer).isEqualTo(Map.of("ok", true));
    }

    @Test
    void anEmptyAnswerIsNull() {
        api.stubFor(patch("/v1/zones").willReturn(aResponse().withStatus(204)));
        assertThat(client().send("PATCH", "/zones", Map.of())).isNull();
    }

    @Test
    void encodesAPathSegmentSoItCannotChangeThePath() {
        assertThat(DnsApi.segment("../admin?x=1#y z")).isEqualTo("..%2Fadmin%3Fx%3D1%23y%20z");
    }

    @Test
    void aRefusedCredentialQuotesTheApisMessageWithoutTheCredential() {
        api.stubFor(get("/v1/zones").willReturn(aResponse().withStatus(403)
                .withBody("{\"success\":false,\"errors\":[{\"code\":9109,\"message\":\"Invalid access token "
                        + TOKEN + "\"}]}")));

        assertThatThrownBy(() -> client().get("/zones"))
                .isInstanceOf(DnsApiException.class)
                .hasMessageStartingWith("The example DNS API refused the credential: 'Invalid access token (credential)'")
                .hasMessageContaining(api.baseUrl() + "/v1/zones")
                .hasMessageNotContaining(TOKEN)
                .satisfies(e -> assertThat(((DnsApiException) e).status()).isEqualTo(403));
    }

    @Test
    void aPlainTextRefusalGetsTheProvidersHint() {
        api.stubFor(get("/v1/zones").willReturn(aResponse().withStatus(401).withBody("Unauthorized")));
        DnsApi client = DnsApi.builder("powerdns", URI.create(api.baseUrl() + "/v1"))
                .secretHeader("X-API-Key", TOKEN, TOKEN).refusalHint("check api-key").build();

        assertThatThrownBy(() -> client.get("/zones"))
                .hasMessageStartingWith("The powerdns DNS API refused the credential: 'Unauthorized'; check api-key");
    }

    @Test
    void aQueryIsNeverQuotedInAMessage() {
        api.stubFor(get(urlEqualTo("/v1/zones?key=" + TOKEN)).willReturn(aResponse().withStatus(500).withBody("boom")));

        assertThatThrownBy(() -> client().get("/zones?key=" + TOKEN))
                .hasMessageContaining("failed with HTTP 500: 'boom'")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void aShortRateLimitIsWaitedOutAsRetryAfterAsks() {
        api.stubFor(get("/v1/zones").inScenario("limit").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2"))
                .willSetStateTo("second"));
        api.stubFor(get("/v1/zones").inScenario("limit").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "Mon, 07 Dec 2026 22:00:05 GMT"))
                .willSetStateTo("open"));
        api.stubFor(get("/v1/zones").inScenario("limit").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(200).withBody("[]")));

        assertThat(client().get("/zones")).isEqualTo(List.of());
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(5));
        api.verify(3, getRequestedFor(urlEqualTo("/v1/zones")));
    }

    @Test
    void aLongRateLimitFailsAtOnceSayingWhenToTryAgain() {
        api.stubFor(get("/v1/zones").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")
                .withBody("{\"message\":\"Too many requests\"}")));

        assertThatThrownBy(() -> client().get("/zones"))
                .isInstanceOf(DnsApiException.class)
                .hasMessageContaining("is rate limiting requests (HTTP 429, next request allowed at 2026-12-07T23:00:00Z)")
                .hasMessageContaining("'Too many requests'")
                .satisfies(e -> assertThat(((DnsApiException) e).retryAfter()).contains(
                        Instant.parse("2026-12-07T23:00:00Z")));
        assertThat(waits).isEmpty();
        api.verify(1, getRequestedFor(urlEqualTo("/v1/zones")));
    }

    @Test
    void aRateLimitThatNeverEndsGivesUpAfterTheRetries() {
        api.stubFor(get("/v1/zones").willReturn(aResponse().withStatus(429)));

        assertThatThrownBy(() -> client().get("/zones")).hasMessageContaining("HTTP 429");
        assertThat(waits).hasSize(3);
        api.verify(4, getRequestedFor(urlEqualTo("/v1/zones")));
    }

    @Test
    void anUnreachableApiIsNamedByItsAddress() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DnsApi client = DnsApi.builder("example", URI.create("http://127.0.0.1:" + closedPort + "/api"))
                .secretHeader("Authorization", "Bearer " + TOKEN, TOKEN).build();

        assertThatThrownBy(() -> client.get("/zones"))
                .isInstanceOf(DnsApiException.class)
                .hasMessageStartingWith("Cannot reach the example DNS API at http://127.0.0.1:" + closedPort + "/api/zones")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void aBrokenConnectionIsNamedByItsAddress() {
        api.stubFor(get("/v1/zones").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> client().get("/zones")).isInstanceOf(DnsApiException.class)
                .hasMessageStartingWith("Cannot reach the example DNS API at " + api.baseUrl() + "/v1/zones");
    }

    @Test
    void aSlowApiTimesOut() {
        api.stubFor(get("/v1/zones").willReturn(aResponse().withStatus(200).withBody("[]").withFixedDelay(5_000)));
        DnsApi impatient = DnsApi.builder("example", URI.create(api.baseUrl() + "/v1"))
                .requestTimeout(Duration.ofSeconds(1)).build();

        assertThatThrownBy(() -> impatient.get("/zones"))
                .hasMessageContaining("did not answer within 1 s");
    }

    @Test
    void aRedirectIsNotFollowed() {
        api.stubFor(get("/v1/zones").willReturn(aResponse().withStatus(302).withHeader("Location",
                "http://127.0.0.2:1/steal")));

        assertThatThrownBy(() -> client().get("/zones")).hasMessageContaining("refused GET")
                .hasMessageContaining("HTTP 302");
    }

    @Test
    void anAnswerThatIsNotJsonIsAClearError() {
        api.stubFor(get("/v1/zones").willReturn(aResponse().withStatus(200).withBody("<html>")));

        assertThatThrownBy(() -> client().get("/zones")).hasMessageContaining("answered GET with something that is not"
                + " JSON");
    }

    @Test
    void anOversizedAnswerIsRefused() {
        api.stubFor(get("/v1/zones").willReturn(aResponse().withStatus(200)
                .withBody("\"" + "a".repeat(DnsApi.MAX_ANSWER_BYTES) + "\"")));

        assertThatThrownBy(() -> client().get("/zones")).hasMessageContaining("more than " + DnsApi.MAX_ANSWER_BYTES);
    }

    @Test
    void aLongMessageIsCutAndControlCharactersRemoved() {
        api.stubFor(get("/v1/zones").willReturn(aResponse().withStatus(400)
                .withBody("{\"message\":\"bad\\u001b[31m " + "x".repeat(1000) + "\"}")));

        assertThatThrownBy(() -> client().get("/zones"))
                .hasMessageContaining("with HTTP 400: 'bad [31m xxx")
                .hasMessageNotContaining("\u001b")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(500));
    }

    @Test
    void refusesABaseUrlThatCouldCarryACredentialOrIsNotHttp() {
        for (String bad : List.of("ftp://example.com", "/relative", "http://user:pw@example.com", "http://h/?token=x")) {
            assertThatThrownBy(() -> DnsApi.builder("example", URI.create(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("pw@").hasMessageNotContaining(
                            "token=x");
        }
    }

    @Test
    void itsDescriptionHoldsNoHeader() {
        assertThat(client().toString()).doesNotContain(TOKEN).contains("example");
    }
}
