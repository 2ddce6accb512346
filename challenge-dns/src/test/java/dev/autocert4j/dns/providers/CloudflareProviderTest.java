package dev.autocert4j.dns.providers;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.dns.internal.Json;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.testkit.DnsProviderContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code cloudflare} provider against a stub of Cloudflare's API v4 that keeps the records. */
class CloudflareProviderTest extends DnsProviderContract {

    private static final String TOKEN = "cf-token-9d1f0c2e7b4a";

    @TempDir
    Path folder;

    private CloudflareStub cloudflare;
    private final List<Duration> waits = new ArrayList<>();

    @BeforeEach
    void startStub() {
        cloudflare = new CloudflareStub(TOKEN, "example.com", "other.example");
    }

    @AfterEach
    void stopStub() {
        cloudflare.close();
    }

    private CloudflareProvider provider(String token) {
        return new CloudflareProvider(CloudflareProviderFactory.api(URI.create(cloudflare.apiUrl()), token)
                .sleeper(waits::add).build());
    }

    @Override
    protected DnsProvider provider() {
        return provider(TOKEN);
    }

    @Override
    protected String zone() {
        return "example.com";
    }

    @Override
    protected Set<String> txtValuesAt(String name) {
        return cloudflare.txtValues(name);
    }

    @Test
    void theContentIsOneQuotedCharacterStringAsCloudflaresReferenceAsks() {
        provider().addTxtRecord("example.com", "_acme-challenge.example.com", "say \"hi\" \\o/");

        cloudflare.server().verify(postRequestedFor(
                urlPathEqualTo("/client/v4/zones/" + cloudflare.zoneId("example.com") + "/dns_records"))
                .withRequestBody(equalToJson(
                        "{\"type\":\"TXT\",\"name\":\"_acme-challenge.example.com\",\"content\":\"\\\"say \\\\\\\"hi\\\\\\\" \\\\\\\\o/\\\"\",\"ttl\":120}")));
        assertThat(cloudflare.txtValues("_acme-challenge.example.com")).containsExactly("say \"hi\" \\o/");
    }

    @Test
    void aRefusedTokenIsReportedWithCloudflaresOwnMessageAndNeverTheToken() {
        DnsProvider provider = provider("wrong-token-5e8a");

        assertThatThrownBy(() -> provider.addTxtRecord("example.com", "_acme-challenge.example.com", "value"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The cloudflare DNS API refused the credential: 'Authentication error'")
                .hasMessageContaining("Zone:Read and DNS:Edit")
                .hasMessageNotContaining("wrong-token-5e8a");
    }

    @Test
    void aShortRateLimitIsWaitedOutAndTheRecordIsWritten() {
        cloudflare.server().stubFor(get(urlPathEqualTo("/client/v4/zones")).atPriority(1).inScenario("limit")
                .whenScenarioStateIs("Started").willSetStateTo("open")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")
                        .withBody(Json.write(CloudflareStub.error(971, "Please wait and consider throttling your request speed")))));

        provider().addTxtRecord("example.com", "_acme-challenge.example.com", "after-the-limit");

        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        assertThat(cloudflare.txtValues("_acme-challenge.example.com")).containsExactly("after-the-limit");
    }

    @Test
    void aLongRateLimitIsReportedWithCloudflaresMessage() {
        cloudflare.server().stubFor(get(urlPathEqualTo("/client/v4/zones")).atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "900")
                        .withBody(Json.write(CloudflareStub.error(971, "Please wait and consider throttling your request speed")))));

        assertThatThrownBy(() -> provider().addTxtRecord("example.com", "_acme-challenge.example.com", "value"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("is rate limiting requests (HTTP 429, next request allowed at")
                .hasMessageContaining("'Please wait and consider throttling your request speed'");
        assertThat(waits).isEmpty();
        assertThat(cloudflare.txtValues("_acme-challenge.example.com")).isEmpty();
    }

    @Test
    void onlyOurValueIsDeletedEvenWhenTheApiIgnoresTheContentFilter() {
        cloudflare.putForeignRecord("example.com", "_acme-challenge.shared.example.com", "another-certificate");
        cloudflare.ignoreContentFilter();
        DnsProvider provider = provider();
        provider.addTxtRecord("example.com", "_acme-challenge.shared.example.com", "ours");

        provider.removeTxtRecord("example.com", "_acme-challenge.shared.example.com", "ours");

        assertThat(cloudflare.txtValues("_acme-challenge.shared.example.com")).containsExactly("another-certificate");
    }

    @Test
    void aZoneTheTokenCannotSeeIsNamed() {
        assertThatThrownBy(() -> provider().addTxtRecord("missing.example", "_acme-challenge.missing.example", "v"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("Cloudflare has no zone missing.example that the API token can see");
    }

    @Test
    void theZoneIdIsLookedUpOnceAndEachZoneGetsItsOwn() {
        DnsProvider provider = provider();
        provider.addTxtRecord("example.com", "_acme-challenge.a.example.com", "v1");
        provider.addTxtRecord("example.com", "_acme-challenge.b.example.com", "v2");
        provider.addTxtRecord("other.example", "_acme-challenge.other.example", "v3");

        assertThat(cloudflare.requests().stream().filter(r -> r.getUrl().startsWith("/client/v4/zones?"))).hasSize(2);
        assertThat(cloudflare.txtValues("_acme-challenge.other.example")).containsExactly("v3");
    }

    @Test
    void badInputIsRefusedBeforeAnyRequest() {
        DnsProvider provider = provider();

        assertThatThrownBy(() -> provider.addTxtRecord("example.com", "_acme-challenge.example.com/../x", "v"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not a DNS name");
        assertThatThrownBy(() -> provider.addTxtRecord("example.com", "_acme-challenge.evil.test", "v"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not inside the zone example.com");
        assertThatThrownBy(() -> provider.removeTxtRecord("example.com", "_acme-challenge.example.com", ""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must have 1 to 255 characters");
        assertThat(cloudflare.requests()).isEmpty();
    }

    private Object fromSettings(Map<String, String> settings) {
        return NamedPlugins.create(DnsProviderFactory.class, "cloudflare", settings, getClass().getClassLoader());
    }

    @Test
    void chosenByNameItReadsTheTokenFromAnOwnerOnlyFile() throws Exception {
        Path tokenFile = Secrets.ownerOnlyFile(folder, "cloudflare.token", TOKEN);
        DnsProvider provider = (DnsProvider) fromSettings(Map.of("api-token-file", tokenFile.toString(),
                "api-url", cloudflare.apiUrl()));

        provider.addTxtRecord("example.com", "_acme-challenge.named.example.com", "by-name");

        assertThat(cloudflare.txtValues("_acme-challenge.named.example.com")).containsExactly("by-name");
        assertThat(provider.toString()).contains(cloudflare.apiUrl()).doesNotContain(TOKEN);
    }

    @Test
    void chosenByNameBadSettingsAreRefusedBeforeAnyRequest() throws Exception {
        Path tokenFile = Secrets.ownerOnlyFile(folder, "cloudflare.token", TOKEN);
        Path shared = Files.writeString(folder.resolve("shared.token"), TOKEN);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> fromSettings(Map.of("api-url", cloudflare.apiUrl())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("api-token-file or api-token-variable is required by the cloudflare plugin");
        assertThatThrownBy(() -> fromSettings(Map.of("api-token-file", shared.toString(), "api-url", cloudflare.apiUrl())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("can be read or changed by other users")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> fromSettings(Map.of("api-token-file", tokenFile.toString(),
                "api-url", "http://api.cloudflare.example/client/v4")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must use https");
        assertThatThrownBy(() -> fromSettings(Map.of("api-token-file", tokenFile.toString(), "token", TOKEN)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not a setting of the cloudflare plugin")
                .hasMessageNotContaining(TOKEN);
        assertThat(cloudflare.requests()).isEmpty();
    }

    @Test
    void theTokenIsNeverLoggedNorInAMessageEvenWhenCloudflareEchoesIt() {
        cloudflare.server().stubFor(get(urlPathEqualTo("/client/v4/zones")).atPriority(1)
                .withQueryParam("name", equalTo("echo.example"))
                .willReturn(aResponse().withStatus(400).withBody(Json.write(CloudflareStub.error(6003,
                        "Invalid request headers: Authorization: Bearer " + TOKEN)))));
        DnsProvider provider = provider();

        String log = Secrets.logOf(() -> {
            provider.addTxtRecord("example.com", "_acme-challenge.logged.example.com", "v");
            provider.removeTxtRecord("example.com", "_acme-challenge.logged.example.com", "v");
            provider.addTxtRecord("echo.example", "_acme-challenge.echo.example", "v");
        });

        assertThat(log).contains("answered 200").contains("Invalid request headers: Authorization: (credential)")
                .doesNotContain(TOKEN);
    }
}
