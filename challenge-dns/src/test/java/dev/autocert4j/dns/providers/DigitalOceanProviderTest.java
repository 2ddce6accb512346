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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code digitalocean} provider against a stub of DigitalOcean's API v2 that keeps the records. */
class DigitalOceanProviderTest extends DnsProviderContract {

    private static final String TOKEN = "dop_v1_4f3c2b1a0e9d8c7b";

    @TempDir
    Path folder;

    private DigitalOceanStub digitalOcean;
    private final List<Duration> waits = new ArrayList<>();

    @BeforeEach
    void startStub() {
        digitalOcean = new DigitalOceanStub(TOKEN, "example.com");
    }

    @AfterEach
    void stopStub() {
        digitalOcean.close();
    }

    private DnsProvider provider(String token) {
        return new DigitalOceanProvider(DigitalOceanProviderFactory.api(URI.create(digitalOcean.apiUrl()), token)
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
        return digitalOcean.txtValues(name);
    }

    @Test
    void recordsAreCreatedWithNamesRelativeToTheDomainTheApexAsAt() {
        DnsProvider provider = provider();
        provider.addTxtRecord("example.com", "_acme-challenge.portal.example.com", "v1");
        provider.addTxtRecord("example.com", "example.com.", "v2");

        digitalOcean.server().verify(postRequestedFor(urlPathEqualTo("/v2/domains/example.com/records"))
                .withRequestBody(equalToJson("{\"type\":\"TXT\",\"name\":\"_acme-challenge.portal\",\"data\":\"v1\",\"ttl\":30}")));
        digitalOcean.server().verify(postRequestedFor(urlPathEqualTo("/v2/domains/example.com/records"))
                .withRequestBody(equalToJson("{\"type\":\"TXT\",\"name\":\"@\",\"data\":\"v2\",\"ttl\":30}")));
        assertThat(digitalOcean.txtValues("example.com")).containsExactly("v2");
    }

    @Test
    void aRefusedTokenIsReportedWithDigitalOceansOwnMessageAndNeverTheToken() {
        DnsProvider provider = provider("dop_v1_wrong_77aa");

        assertThatThrownBy(() -> provider.addTxtRecord("example.com", "_acme-challenge.example.com", "value"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The digitalocean DNS API refused the credential: 'Unable to authenticate you'")
                .hasMessageNotContaining("dop_v1_wrong_77aa");
    }

    @Test
    void aShortRateLimitIsWaitedOutAndTheRecordIsWritten() {
        digitalOcean.server().stubFor(get(urlPathMatching("/v2/domains/example.com/records")).atPriority(1)
                .inScenario("limit").whenScenarioStateIs("Started").willSetStateTo("open")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")
                        .withBody(Json.write(DigitalOceanStub.error("too_many_requests", "API Rate limit exceeded.")))));

        provider().addTxtRecord("example.com", "_acme-challenge.example.com", "after-the-limit");

        assertThat(waits).containsExactly(Duration.ofSeconds(3));
        assertThat(digitalOcean.txtValues("_acme-challenge.example.com")).containsExactly("after-the-limit");
    }

    @Test
    void aLongRateLimitIsReportedWithDigitalOceansMessage() {
        digitalOcean.server().stubFor(get(urlPathMatching("/v2/domains/example.com/records")).atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")
                        .withBody(Json.write(DigitalOceanStub.error("too_many_requests", "API Rate limit exceeded.")))));

        assertThatThrownBy(() -> provider().addTxtRecord("example.com", "_acme-challenge.example.com", "value"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("is rate limiting requests (HTTP 429, next request allowed at")
                .hasMessageContaining("'API Rate limit exceeded.'");
        assertThat(waits).isEmpty();
    }

    @Test
    void aDomainTheAccountDoesNotHaveIsReported() {
        assertThatThrownBy(() -> provider().addTxtRecord("missing.example", "_acme-challenge.missing.example", "v"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("'The resource you were accessing could not be found.'");
    }

    @Test
    void badInputIsRefusedBeforeAnyRequest() {
        DnsProvider provider = provider();

        assertThatThrownBy(() -> provider.addTxtRecord("example.com/../../account", "_acme-challenge.example.com", "v"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not a DNS name");
        assertThatThrownBy(() -> provider.addTxtRecord("example.com", "_acme-challenge.example.org", "v"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not inside the zone example.com");
        assertThatThrownBy(() -> provider.addTxtRecord("example.com", "_acme-challenge.example.com", "tab\there"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not printable ASCII");
        assertThat(digitalOcean.requests()).isEmpty();
    }

    @Test
    void chosenByNameItReadsTheTokenFromAnOwnerOnlyFileAndRefusesPlainHttpElsewhere() throws Exception {
        Path tokenFile = Secrets.ownerOnlyFile(folder, "do.token", TOKEN);
        DnsProvider provider = NamedPlugins.create(DnsProviderFactory.class, "digitalocean", Map.of(
                "api-token-file", tokenFile.toString(), "api-url", digitalOcean.apiUrl()), getClass().getClassLoader());

        provider.addTxtRecord("example.com", "_acme-challenge.named.example.com", "by-name");

        assertThat(digitalOcean.txtValues("_acme-challenge.named.example.com")).containsExactly("by-name");
        assertThat(provider.toString()).doesNotContain(TOKEN);
        assertThatThrownBy(() -> NamedPlugins.create(DnsProviderFactory.class, "digitalocean", Map.of(
                "api-token-file", tokenFile.toString(), "api-url", "http://10.0.0.8/v2"), getClass().getClassLoader()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must use https");
    }

    @Test
    void theTokenIsNeverLogged() {
        DnsProvider provider = provider();

        String log = Secrets.logOf(() -> {
            provider.addTxtRecord("example.com", "_acme-challenge.logged.example.com", "v");
            provider.removeTxtRecord("example.com", "_acme-challenge.logged.example.com", "v");
            provider(TOKEN + "x").addTxtRecord("example.com", "_acme-challenge.logged.example.com", "v");
        });

        assertThat(log).contains("answered 201").contains("answered 204").contains("refused the credential")
                .doesNotContain(TOKEN);
    }
}
