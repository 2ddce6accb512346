package dev.autocert4j.dns.google;

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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoogleCloudDnsProviderTest extends DnsProviderContract {

    private static final String ZONE = "example-com";

    @TempDir
    Path folder;

    private FakeCloudDns cloudDns;
    private Path keyFile;

    @BeforeEach
    void startCloudDns() throws IOException {
        cloudDns = new FakeCloudDns();
        cloudDns.addZone("other-example", "other.example");
        cloudDns.addZone(ZONE, "example.com");
        keyFile = ownerOnlyFile("service-account.json", cloudDns.serviceAccountKeyJson(true));
    }

    @AfterEach
    void stopCloudDns() {
        cloudDns.close();
    }

    private Path ownerOnlyFile(String name, String content) throws IOException {
        Path file = Files.createFile(folder.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, content);
    }

    @Override
    protected DnsProvider provider() {
        return new GoogleCloudDnsProviderFactory().create(settings(Map.of()));
    }

    /** The provider with no pause before it asks again after a 429, and the given wait for changes. */
    private GoogleCloudDnsProvider provider(Map<String, String> settings, Duration pollInterval, Clock clock) {
        return new GoogleCloudDnsProviderFactory().create(settings(settings), pollInterval, clock, millis -> { });
    }

    @Override
    protected String zone() {
        return "example.com";
    }

    @Override
    protected Set<String> txtValuesAt(String name) {
        return cloudDns.txtValues(ZONE, name);
    }

    private PluginSettings settings(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "endpoint", cloudDns.endpoint(),
                "service-account-key-file", keyFile.toString()));
        settings.putAll(overrides);
        return PluginSettings.of("google", settings);
    }

    @Test
    void isFoundByItsNameWithTheServiceLoader() {
        assertThat(ServiceLoader.load(DnsProviderFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(factory -> factory.name().equals("google")).findFirst())
                .get().isInstanceOf(GoogleCloudDnsProviderFactory.class);
    }

    @Test
    void theServiceAccountKeyGetsATokenFromItsTokenEndpointOnceAndTheProjectFromTheKey() {
        DnsProvider provider = provider();
        provider.addTxtRecord(zone(), "_acme-challenge.example.com", "value-1");
        provider.removeTxtRecord(zone(), "_acme-challenge.example.com", "value-1");

        cloudDns.server().verify(1, postRequestedFor(urlPathEqualTo("/token")));
        cloudDns.server().verify(getRequestedFor(urlPathMatching("/dns/v1/projects/" + FakeCloudDns.PROJECT + "/.*")));
    }

    @Test
    void writesToTheManagedZoneItIsGivenWithoutLookingItUp() {
        cloudDns.addZone("example-com-2", "example.com");
        DnsProvider provider = new GoogleCloudDnsProviderFactory().create(settings(Map.of("managed-zone", "example-com-2")));

        provider.addTxtRecord(zone(), "_acme-challenge.example.com", "value-1");

        assertThat(cloudDns.txtValues("example-com-2", "_acme-challenge.example.com")).containsExactly("value-1");
        assertThat(txtValuesAt("_acme-challenge.example.com")).isEmpty();
        cloudDns.server().verify(0, getRequestedFor(urlPathMatching(".*/managedZones")));
    }

    @Test
    void aZoneCloudDnsDoesNotHaveIsNamedInTheError() {
        assertThatThrownBy(() -> provider().addTxtRecord("missing.example", "_acme-challenge.missing.example", "v"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("no public managed zone for missing.example. in the project autocert4j-test")
                .hasMessageContaining("managed-zone");
    }

    @Test
    void aValueAnotherWriterAddsBetweenOurReadAndOurWriteIsKept() {
        String name = "_acme-challenge.race.example.com";
        cloudDns.beforeNextChange(() -> cloudDns.putTxtRecordSet(ZONE, name, 60, "theirs"));

        provider().addTxtRecord(zone(), name, "ours");

        assertThat(txtValuesAt(name)).containsExactlyInAnyOrder("theirs", "ours");
    }

    @Test
    void aValueAnotherWriterAddsWhileWeRemoveOursIsKept() {
        String name = "_acme-challenge.race.example.com";
        DnsProvider provider = provider();
        provider.addTxtRecord(zone(), name, "ours");
        cloudDns.beforeNextChange(() -> cloudDns.putTxtRecordSet(ZONE, name, 60, "ours", "theirs"));

        provider.removeTxtRecord(zone(), name, "ours");

        assertThat(txtValuesAt(name)).containsExactly("theirs");
    }

    @Test
    void addingWaitsUntilCloudDnsSaysTheChangeIsDone() {
        cloudDns.pendingPolls(3);
        GoogleCloudDnsProvider provider = provider(Map.of(), Duration.ZERO, new TickingClock(Duration.ofSeconds(1)));

        provider.addTxtRecord(zone(), "_acme-challenge.wait.example.com", "value-1");

        cloudDns.server().verify(4, getRequestedFor(urlPathMatching(".*/managedZones/example-com/changes/1")));
    }

    @Test
    void aChangeThatStaysPendingFailsAfterTheWaitTimeoutNamingTheChange() {
        cloudDns.pendingPolls(Integer.MAX_VALUE);
        GoogleCloudDnsProvider provider = provider(Map.of("wait-timeout", "60"), Duration.ZERO,
                new TickingClock(Duration.ofSeconds(10)));

        assertThatThrownBy(() -> provider.addTxtRecord(zone(), "_acme-challenge.slow.example.com", "value-1"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("change 1 to _acme-challenge.slow.example.com after 60 s")
                .hasMessageContaining("still pending");
        cloudDns.server().verify(5, getRequestedFor(urlPathMatching(".*/changes/1")));
    }

    @Test
    void aKeyTheTokenEndpointRefusesIsReportedWithItsOwnMessage() throws IOException {
        Path otherKey = ownerOnlyFile("other.json", cloudDns.serviceAccountKeyJson(false));
        DnsProvider provider = new GoogleCloudDnsProviderFactory().create(settings(Map.of("service-account-key-file",
                otherKey.toString())));

        assertThatThrownBy(() -> provider.addTxtRecord(zone(), "_acme-challenge.example.com", "value-1"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The Google Cloud DNS API refused the credential")
                .hasMessageContaining("invalid_grant")
                .hasMessageContaining("Invalid JWT Signature.")
                .message().doesNotContain("PRIVATE KEY");
    }

    @Test
    void aTokenTheDnsApiRefusesIsReportedWithItsOwnMessage() {
        cloudDns.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/token"))
                .atPriority(1).willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        "{\"access_token\":\"ya29.revoked\",\"expires_in\":3599,\"token_type\":\"Bearer\"}")));

        assertThatThrownBy(() -> provider().addTxtRecord(zone(), "_acme-challenge.example.com", "value-1"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The Google Cloud DNS API refused the credential: Request had invalid"
                        + " authentication credentials.")
                .hasMessageContaining("(HTTP 401 UNAUTHENTICATED)");
    }

    @Test
    void aShortRateLimitIsRiddenOutByAskingAgain() {
        cloudDns.rateLimitNext(2);

        provider(Map.of(), Duration.ZERO, Clock.systemUTC()).addTxtRecord(zone(), "_acme-challenge.example.com", "value-1");

        assertThat(txtValuesAt("_acme-challenge.example.com")).containsExactly("value-1");
    }

    @Test
    void aRateLimitThatLastsIsReportedAsSuchWithGooglesMessage() {
        cloudDns.rateLimitNext(Integer.MAX_VALUE);

        assertThatThrownBy(() -> provider(Map.of(), Duration.ZERO, Clock.systemUTC())
                .addTxtRecord(zone(), "_acme-challenge.example.com", "value-1"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The Google Cloud DNS API is limiting the rate of requests and still was after"
                        + " a few retries: Quota exceeded")
                .hasMessageContaining("(HTTP 429 RESOURCE_EXHAUSTED)");
        cloudDns.server().verify(5, getRequestedFor(urlPathMatching(".*/managedZones")));
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedBeforeAnyCall() throws IOException {
        Path shared = Files.writeString(folder.resolve("shared.json"), cloudDns.serviceAccountKeyJson(true));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> new GoogleCloudDnsProviderFactory().create(settings(Map.of("service-account-key-file",
                shared.toString()))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("service-account-key-file");
        assertThat(cloudDns.server().getAllServeEvents()).isEmpty();
    }

    @Test
    void aFileThatIsNotAServiceAccountKeyIsRefusedWithoutQuotingIt() throws IOException {
        Path notAKey = ownerOnlyFile("not-a-key.json", "{\"type\":\"authorized_user\",\"refresh_token\":\"secret-token\"}");

        assertThatThrownBy(() -> new GoogleCloudDnsProviderFactory().create(settings(Map.of("service-account-key-file",
                notAKey.toString()))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("does not hold a service account key")
                .message().doesNotContain("secret-token");
    }

    @Test
    void aPlainHttpEndpointIsRefusedUnlessItIsOnThisMachine() {
        assertThatThrownBy(() -> new GoogleCloudDnsProviderFactory().create(settings(Map.of("endpoint",
                "http://dns.example.net/"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("endpoint")
                .hasMessageContaining("must be an https URL");
    }

    @Test
    void anUnknownSettingIsRefusedByName() {
        assertThatThrownBy(() -> new GoogleCloudDnsProviderFactory().create(settings(Map.of("zone", "example-com"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("zone is not a setting of the google plugin");
    }

    /** A clock that moves on by a step each time it is read. */
    private static final class TickingClock extends Clock {
        private final Duration step;
        private Instant now = Instant.parse("2026-12-07T22:00:00Z");

        TickingClock(Duration step) {
            this.step = step;
        }

        @Override
        public synchronized Instant instant() {
            now = now.plus(step);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
