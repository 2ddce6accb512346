package dev.autocert4j.dns.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.PluginSettings;
import dev.autocert4j.testkit.DnsProviderContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AzureDnsProviderTest extends DnsProviderContract {

    @TempDir
    Path folder;

    private FakeAzureDns azure;
    private HttpClient httpClient;

    @BeforeEach
    void startAzure() throws IOException, GeneralSecurityException {
        azure = new FakeAzureDns(folder);
        azure.addZone("example.com");
        azure.addZone("other.example");
        httpClient = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(azure.clientTls())).build();
    }

    @AfterEach
    void stopAzure() {
        azure.close();
    }

    @Override
    protected DnsProvider provider() {
        return provider(token(FakeAzureDns.ACCESS_TOKEN));
    }

    private DnsProvider provider(TokenCredential credential) {
        return new AzureDnsProviderFactory().create(settings(Map.of()), credential, httpClient);
    }

    private static TokenCredential token(String token) {
        return request -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
    }

    @Override
    protected String zone() {
        return "example.com";
    }

    @Override
    protected Set<String> txtValuesAt(String name) {
        return azure.txtValues("example.com", AzureDnsProvider.relativeName("example.com", name));
    }

    private PluginSettings settings(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "subscription-id", FakeAzureDns.SUBSCRIPTION,
                "resource-group", FakeAzureDns.RESOURCE_GROUP,
                "endpoint", azure.endpoint()));
        settings.putAll(overrides);
        return PluginSettings.of("azure", settings);
    }

    @Test
    void isFoundByItsNameWithTheServiceLoader() {
        assertThat(ServiceLoader.load(DnsProviderFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(factory -> factory.name().equals("azure")).findFirst())
                .get().isInstanceOf(AzureDnsProviderFactory.class);
    }

    @Test
    void theApexOfTheZoneIsItsAtSign() {
        provider().addTxtRecord("example.com", "example.com.", "value-1");

        assertThat(azure.txtValues("example.com", "@")).containsExactly("value-1");
    }

    @Test
    void aValueLongerThan255CharactersIsSplitAndComesBackWhole() {
        String value = "x".repeat(300);

        provider().addTxtRecord(zone(), "_acme-challenge.long.example.com", value);

        assertThat(txtValuesAt("_acme-challenge.long.example.com")).containsExactly(value);
    }

    @Test
    void aValueAnotherWriterAddsBetweenOurReadAndOurWriteIsKept() {
        azure.beforeNextWrite(() -> azure.putTxtRecordSet("example.com", "_acme-challenge.race", 60, "theirs"));

        provider().addTxtRecord(zone(), "_acme-challenge.race.example.com", "ours");

        assertThat(txtValuesAt("_acme-challenge.race.example.com")).containsExactlyInAnyOrder("theirs", "ours");
    }

    @Test
    void aValueAnotherWriterAddsWhileWeRemoveOursIsKept() {
        DnsProvider provider = provider();
        provider.addTxtRecord(zone(), "_acme-challenge.race.example.com", "ours");
        azure.beforeNextWrite(() -> azure.putTxtRecordSet("example.com", "_acme-challenge.race", 60, "ours", "theirs"));

        provider.removeTxtRecord(zone(), "_acme-challenge.race.example.com", "ours");

        assertThat(txtValuesAt("_acme-challenge.race.example.com")).containsExactly("theirs");
    }

    @Test
    void aZoneTheResourceGroupDoesNotHaveIsReportedWithAzuresMessage() {
        assertThatThrownBy(() -> provider().addTxtRecord("missing.example", "_acme-challenge.missing.example", "v"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("Parent resource 'missing.example' not found.")
                .hasMessageContaining("resource-group");
    }

    @Test
    void aRefusedTokenIsReportedWithAzuresOwnMessage() {
        assertThatThrownBy(() -> provider(token("revoked")).addTxtRecord(zone(), "_acme-challenge.example.com", "v"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The Azure DNS API refused the credential: The access token is invalid."
                        + " (InvalidAuthenticationToken, HTTP 401)");
    }

    @Test
    void aCredentialThatGetsNoTokenIsReportedWithTheIdentityPlatformsMessage() {
        TokenCredential refused = request -> Mono.error(new ClientAuthenticationException("ClientSecretCredential"
                + " authentication failed: AADSTS7000215: Invalid client secret provided.", null));

        assertThatThrownBy(() -> provider(refused).addTxtRecord(zone(), "_acme-challenge.example.com", "v"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The Azure DNS API refused the credential: no access token could be had")
                .hasMessageContaining("AADSTS7000215: Invalid client secret provided.");
        azure.server().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aShortRateLimitIsRiddenOutByTheSdksRetries() {
        azure.throttleNext(1);

        provider().addTxtRecord(zone(), "_acme-challenge.example.com", "value-1");

        assertThat(txtValuesAt("_acme-challenge.example.com")).containsExactly("value-1");
    }

    @Test
    void aRateLimitThatLastsIsReportedAsSuch() {
        azure.throttleNext(Integer.MAX_VALUE);

        assertThatThrownBy(() -> provider().addTxtRecord(zone(), "_acme-challenge.example.com", "value-1"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The Azure DNS API is limiting the rate of requests")
                .hasMessageContaining("(SubscriptionRequestsThrottled, HTTP 429)");
    }

    @Test
    void aClientIdWithoutItsSecretIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> new AzureDnsProviderFactory().create(settings(Map.of("client-id", "app", "tenant-id", "t"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("client-secret-file");
        azure.server().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aPlainHttpEndpointIsRefused() {
        assertThatThrownBy(() -> new AzureDnsProviderFactory().create(settings(Map.of("endpoint", "http://127.0.0.1:1/"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("endpoint")
                .hasMessageContaining("must be an https URL");
    }

    @Test
    void theSubscriptionAndResourceGroupAreRequired() {
        assertThatThrownBy(() -> new AzureDnsProviderFactory().create(PluginSettings.of("azure",
                Map.of("resource-group", "rg"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("subscription-id is required by the azure plugin");
    }

    @Test
    void anUnknownSettingIsRefusedByName() {
        assertThatThrownBy(() -> new AzureDnsProviderFactory().create(settings(Map.of("zone", "example.com"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("zone is not a setting of the azure plugin");
    }
}
