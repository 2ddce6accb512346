package dev.autocert4j.dns.route53;

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
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Route53ProviderTest extends DnsProviderContract {

    private static final String ZONE_ID = "Z0ACME4JTEST";

    @TempDir
    Path folder;

    private FakeRoute53 route53;
    private Path secretFile;

    @BeforeEach
    void startRoute53() throws IOException {
        route53 = new FakeRoute53();
        route53.addZone("Z0OTHERZONE", "other.example");
        route53.addZone(ZONE_ID, "example.com");
        route53.addZone("Z0SUBZONE", "sub.example.com");
        secretFile = Files.createFile(folder.resolve("secret-access-key"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secretFile, FakeRoute53.SECRET_ACCESS_KEY + "\n");
    }

    @AfterEach
    void stopRoute53() {
        route53.close();
    }

    @Override
    protected DnsProvider provider() {
        return new Route53ProviderFactory().create(settings(Map.of()));
    }

    @Override
    protected String zone() {
        return "example.com";
    }

    @Override
    protected Set<String> txtValuesAt(String name) {
        return route53.txtValues(ZONE_ID, name);
    }

    private PluginSettings settings(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "endpoint", route53.endpoint().toString(),
                "access-key-id", FakeRoute53.ACCESS_KEY_ID,
                "secret-access-key-file", secretFile.toString()));
        settings.putAll(overrides);
        return PluginSettings.of("route53", settings);
    }

    @Test
    void isFoundByItsNameWithTheServiceLoader() {
        assertThat(ServiceLoader.load(DnsProviderFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(factory -> factory.name().equals("route53")).findFirst())
                .get().isInstanceOf(Route53ProviderFactory.class);
    }

    @Test
    void writesToTheHostedZoneItIsGivenWithoutLookingItUp() {
        route53.addZone("Z0SECOND", "example.com");
        DnsProvider provider = new Route53ProviderFactory().create(settings(Map.of("hosted-zone-id", "/hostedzone/Z0SECOND")));

        provider.addTxtRecord("example.com", "_acme-challenge.example.com", "value-1");

        assertThat(route53.txtValues("Z0SECOND", "_acme-challenge.example.com")).containsExactly("value-1");
        assertThat(route53.txtValues(ZONE_ID, "_acme-challenge.example.com")).isEmpty();
        route53.server().verify(0, getRequestedFor(urlPathMatching("/2013-04-01/hostedzonesbyname")));
    }

    @Test
    void aZoneRoute53DoesNotHaveIsNamedInTheError() {
        assertThatThrownBy(() -> provider().addTxtRecord("missing.example", "_acme-challenge.missing.example", "v"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("no public hosted zone named missing.example.")
                .hasMessageContaining("hosted-zone-id");
    }

    @Test
    void aValueAnotherWriterAddsBetweenOurReadAndOurWriteIsKept() {
        String name = "_acme-challenge.race.example.com";
        route53.beforeNextChange(() -> route53.putRecordSet(ZONE_ID, name,
                new FakeRoute53.RecordSet(60, List.of(TxtStrings.quote("theirs")))));

        provider().addTxtRecord(zone(), name, "ours");

        assertThat(txtValuesAt(name)).containsExactlyInAnyOrder("theirs", "ours");
    }

    @Test
    void aValueAnotherWriterAddsWhileWeRemoveOursIsKept() {
        String name = "_acme-challenge.race.example.com";
        DnsProvider provider = provider();
        provider.addTxtRecord(zone(), name, "ours");
        route53.beforeNextChange(() -> route53.putRecordSet(ZONE_ID, name,
                new FakeRoute53.RecordSet(60, List.of(TxtStrings.quote("ours"), TxtStrings.quote("theirs")))));

        provider.removeTxtRecord(zone(), name, "ours");

        assertThat(txtValuesAt(name)).containsExactly("theirs");
    }

    @Test
    void theTtlOfARecordSetAlreadyThereIsKept() {
        String name = "_acme-challenge.ttl.example.com";
        route53.putRecordSet(ZONE_ID, name, new FakeRoute53.RecordSet(300, List.of(TxtStrings.quote("theirs"))));

        provider().addTxtRecord(zone(), name, "ours");
        provider().removeTxtRecord(zone(), name, "theirs");

        assertThat(txtValuesAt(name)).containsExactly("ours");
        route53.putRecordSet(ZONE_ID, name, new FakeRoute53.RecordSet(300, List.of(TxtStrings.quote("ours"))));
        provider().removeTxtRecord(zone(), name, "ours"); // a DELETE must give the TTL Route 53 has
        assertThat(txtValuesAt(name)).isEmpty();
    }

    @Test
    void addingWaitsUntilRoute53SaysTheChangeIsInSync() {
        route53.pendingPolls(3);
        Route53Provider provider = new Route53ProviderFactory().create(settings(Map.of()), Duration.ZERO,
                new TickingClock(Duration.ofSeconds(1)));

        provider.addTxtRecord(zone(), "_acme-challenge.wait.example.com", "value-1");

        route53.server().verify(4, getRequestedFor(urlPathMatching("/2013-04-01/change/C1")));
    }

    @Test
    void aChangeThatStaysPendingFailsAfterTheWaitTimeoutNamingTheChange() {
        route53.pendingPolls(Integer.MAX_VALUE);
        Route53Provider provider = new Route53ProviderFactory().create(settings(Map.of("wait-timeout", "60")),
                Duration.ZERO, new TickingClock(Duration.ofSeconds(10)));

        assertThatThrownBy(() -> provider.addTxtRecord(zone(), "_acme-challenge.slow.example.com", "value-1"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("change C1")
                .hasMessageContaining("after 60 s")
                .hasMessageContaining("PENDING");
        route53.server().verify(5, getRequestedFor(urlPathMatching("/2013-04-01/change/C1")));
    }

    @Test
    void aRefusedCredentialIsReportedWithRoute53sOwnMessage() {
        DnsProvider provider = new Route53ProviderFactory().create(settings(Map.of("access-key-id", "AKIDUNKNOWN")));

        assertThatThrownBy(() -> provider.addTxtRecord(zone(), "_acme-challenge.example.com", "value-1"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The Route 53 API refused the credential: The security token included in the"
                        + " request is invalid. (InvalidClientTokenId, HTTP 403)")
                .message().doesNotContain(FakeRoute53.SECRET_ACCESS_KEY);
    }

    @Test
    void aWrongSecretAccessKeyIsReportedWithRoute53sOwnMessage() throws IOException {
        Files.writeString(secretFile, "not-the-secret\n");

        assertThatThrownBy(() -> provider().addTxtRecord(zone(), "_acme-challenge.example.com", "value-1"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The Route 53 API refused the credential: The request signature we calculated"
                        + " does not match the signature you provided.")
                .hasMessageContaining("(SignatureDoesNotMatch, HTTP 403)")
                .message().doesNotContain("not-the-secret");
    }

    @Test
    void aShortRateLimitIsRiddenOutByTheSdksRetries() {
        route53.throttleNext(1);

        provider().addTxtRecord(zone(), "_acme-challenge.example.com", "value-1");

        assertThat(txtValuesAt("_acme-challenge.example.com")).containsExactly("value-1");
    }

    @Test
    void aRateLimitThatLastsIsReportedAsSuch() {
        route53.throttleNext(Integer.MAX_VALUE);

        assertThatThrownBy(() -> provider().addTxtRecord(zone(), "_acme-challenge.example.com", "value-1"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("The Route 53 API is limiting the rate of requests")
                .hasMessageContaining("Rate exceeded (Throttling, HTTP 400)");
    }

    @Test
    void withoutAnAccessKeyTheSdksDefaultChainIsUsed() {
        // the default chain's first link reads these system properties; the environment comes next
        System.setProperty("aws.accessKeyId", FakeRoute53.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", FakeRoute53.SECRET_ACCESS_KEY);
        try {
            DnsProvider provider = new Route53ProviderFactory().create(PluginSettings.of("route53",
                    Map.of("endpoint", route53.endpoint().toString())));

            provider.addTxtRecord(zone(), "_acme-challenge.example.com", "value-1");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }

        assertThat(txtValuesAt("_acme-challenge.example.com")).containsExactly("value-1");
    }

    @Test
    void aNamedProfileIsReadFromTheSharedCredentialsFile() throws IOException {
        Path credentials = Files.writeString(folder.resolve("credentials"), "[default]\naws_access_key_id = AKIDWRONG\n"
                + "aws_secret_access_key = wrong\n\n[dns-01]\naws_access_key_id = " + FakeRoute53.ACCESS_KEY_ID + "\n"
                + "aws_secret_access_key = " + FakeRoute53.SECRET_ACCESS_KEY + "\n");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try {
            DnsProvider provider = new Route53ProviderFactory().create(PluginSettings.of("route53",
                    Map.of("endpoint", route53.endpoint().toString(), "profile", "dns-01")));

            provider.addTxtRecord(zone(), "_acme-challenge.example.com", "value-1");
        } finally {
            System.clearProperty("aws.sharedCredentialsFile");
        }

        assertThat(txtValuesAt("_acme-challenge.example.com")).containsExactly("value-1");
    }

    @Test
    void anAccessKeyWithoutItsSecretIsRefusedBeforeAnyCall() {
        PluginSettings settings = PluginSettings.of("route53", Map.of("endpoint", route53.endpoint().toString(),
                "access-key-id", FakeRoute53.ACCESS_KEY_ID));

        assertThatThrownBy(() -> new Route53ProviderFactory().create(settings))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("secret-access-key-file");
        assertThat(route53.server().getAllServeEvents()).isEmpty();
    }

    @Test
    void aPlainHttpEndpointIsRefusedUnlessItIsOnThisMachine() {
        assertThatThrownBy(() -> new Route53ProviderFactory().create(settings(Map.of("endpoint",
                "http://route53.example.net"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("endpoint")
                .hasMessageContaining("must be an https URL");
    }

    @Test
    void anUnknownSettingIsRefusedByName() {
        assertThatThrownBy(() -> new Route53ProviderFactory().create(settings(Map.of("hosted-zone", "Z1"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("hosted-zone is not a setting of the route53 plugin");
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
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
