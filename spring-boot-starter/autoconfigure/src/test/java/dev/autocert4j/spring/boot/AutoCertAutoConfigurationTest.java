package dev.autocert4j.spring.boot;

import dev.autocert4j.AutoCert;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.micrometer.AutoCertMetrics;
import dev.autocert4j.notify.WebhookNotifier;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/** Which beans the auto-configuration makes from which properties, and how it refuses wrong ones. */
class AutoCertAutoConfigurationTest {

    @TempDir
    Path state;

    private WebApplicationContextRunner runner() {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, AutoCertAutoConfiguration.class))
                .withPropertyValues("autocert4j.domains=portal.example.com,www.example.com",
                        "autocert4j.email=admin@example.com", "autocert4j.accept-terms-of-service=true",
                        "server.port=443", "autocert4j.state-dir=" + state);
    }

    @Test
    void nothingHappensUntilEnabled() {
        runner().run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AutoCert.class)
                .doesNotHaveBean(CertificateStore.class));
    }

    @Test
    void enabledItMakesTheStoreTheAutoCertAndABundleWithATemporaryCertificate() {
        runner().withPropertyValues("autocert4j.enabled=true").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(AutoCert.class).doesNotHaveBean(WebhookNotifier.class)
                    .doesNotHaveBean(AutoCertMetrics.class);
            assertThat(context.getBean(CertificateStore.class)).isInstanceOf(Pkcs12CertificateStore.class);
            assertThat(((Pkcs12CertificateStore) context.getBean(CertificateStore.class)).root())
                    .isEqualTo(state.resolve("store").toAbsolutePath());
            KeyStore keys = context.getBean(SslBundles.class).getBundle("autocert4j").getStores().getKeyStore();
            X509Certificate served = (X509Certificate) keys.getCertificate("autocert4j");
            assertThat(served.getSubjectX500Principal().getName()).contains("autocert4j temporary certificate")
                    .contains("CN=portal.example.com");
            assertThat(context.getBean(AutoCert.class).certificateAuthority().directory())
                    .isEqualTo(java.net.URI.create("acme://letsencrypt.org"));
        });
    }

    @Test
    void theApplicationsOwnStoreWinsAndMetricsAndTheWebhookComeWithTheirSettings() {
        InMemoryCertificateStore own = new InMemoryCertificateStore();
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.notify.webhook-url=https://hooks.example.com/x",
                        "autocert4j.ca=letsencrypt-staging")
                .withBean(CertificateStore.class, () -> own)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(WebhookNotifier.class).hasSingleBean(AutoCertMetrics.class);
                    assertThat(context.getBean(CertificateStore.class)).isSameAs(own);
                    assertThat(context.getBean(AutoCert.class).certificateAuthority().directory())
                            .isEqualTo(java.net.URI.create("acme://letsencrypt.org/staging"));
                });
    }

    @Test
    void severalCasAreTakenInTheirOrderAndTheListWinsOverTheSingleProperty() {
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.ca=letsencrypt",
                        "autocert4j.cas[0]=https://first.example.com/dir", "autocert4j.cas[1]=letsencrypt-staging")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(AutoCert.class).certificateAuthority().directory())
                            .isEqualTo(java.net.URI.create("https://first.example.com/dir"));
                    AutoCertProperties properties = context.getBean(AutoCertProperties.class);
                    assertThat(AutoCertSettings.certificateAuthorities(properties))
                            .extracting(dev.autocert4j.CertificateAuthority::directory)
                            .containsExactly(java.net.URI.create("https://first.example.com/dir"),
                                    java.net.URI.create("acme://letsencrypt.org/staging"));
                });
    }

    @Test
    void aWrongCaInTheListStopsTheStartNamingItsPlace() {
        AutoCertProperties properties = new AutoCertProperties();
        properties.setCas(java.util.List.of("letsencrypt", "ftp://ca.example.com/dir"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AutoCertSettings.certificateAuthorities(properties))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("autocert4j.cas[1]");
    }

    @Test
    void theStoreIsChosenByNameWithItsSettings() {
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.store.name=pkcs12",
                "autocert4j.store.settings.folder=" + state.resolve("elsewhere")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(((Pkcs12CertificateStore) context.getBean(CertificateStore.class)).root())
                    .isEqualTo(state.resolve("elsewhere").toAbsolutePath());
            assertThat(state.resolve("store.password")).as("the default password file").isRegularFile();
        });
    }

    @Test
    void anUnknownStoreNameStopsTheStartListingTheKnownOnes() {
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.store.name=redis").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("redis").hasMessageContaining("pkcs12");
        });
    }

    private Path ownerOnlyKeyFile() throws java.io.IOException {
        Path key = state.resolve("pdns.key");
        java.nio.file.Files.createFile(key, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        return java.nio.file.Files.writeString(key, "the-api-key");
    }

    @Test
    void aDnsProviderChosenByNameMakesTheCertificateValidateWithDns01() throws Exception {
        Path key = ownerOnlyKeyFile();
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.domains=example.com,*.example.com",
                "autocert4j.dns.provider=powerdns", "autocert4j.dns.settings.api-url=http://127.0.0.1:8081",
                "autocert4j.dns.settings.api-key-file=" + key, "autocert4j.dns.settings.propagation-timeout=30",
                "autocert4j.dns.resolvers=127.0.0.1:53,127.0.0.2:53").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(AutoCert.class);
            AutoCertProperties properties = context.getBean(AutoCertProperties.class);
            assertThat(AutoCertSettings.request(properties, 443).challengeType())
                    .isEqualTo(dev.autocert4j.ChallengeType.DNS_01);
            assertThat(AutoCertSettings.dnsSolver(properties.getDns()).toString()).contains("PowerDnsProvider")
                    .doesNotContain("the-api-key");
        });
    }

    @Test
    void anUnknownDnsProviderStopsTheStartListingTheKnownOnes() {
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.dns.provider=powerdsn").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("autocert4j.dns.provider 'powerdsn' is not a known plugin")
                    .hasMessageContaining("powerdns").hasMessageContaining("rfc2136");
        });
    }

    @Test
    void aMissingOrUnknownDnsSettingStopsTheStartNamingItsProperty() {
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.dns.provider=powerdns").run(context ->
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidInputException.class)
                        .hasMessageStartingWith("autocert4j.dns.settings.api-url is required by the powerdns plugin"));
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.dns.provider=powerdns",
                "autocert4j.dns.settings.api-url=http://127.0.0.1:8081", "autocert4j.dns.settings.api-key=inline")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .isInstanceOf(InvalidInputException.class)
                        .hasMessageStartingWith("autocert4j.dns.settings.api-key is not a setting of the powerdns DNS"
                                + " provider").hasMessageNotContaining("inline"));
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.dns.provider=powerdns",
                "autocert4j.dns.resolvers=nonsense").run(context ->
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidInputException.class)
                        .hasMessageStartingWith("autocert4j.dns.resolvers 'nonsense' must be HOST:PORT"));
    }

    @Test
    void aMissingEmailStopsTheStartWithTheProperty() {
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.email=").run(context -> {
            assertThat(context).hasFailed();
            InvalidInputException cause = rootCause(context.getStartupFailure(), InvalidInputException.class);
            assertThat(cause.field()).isEqualTo("autocert4j.email");
            FailureAnalysis analysis = new InvalidSettingsFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).startsWith("The autocert4j configuration is wrong: autocert4j.email");
            assertThat(analysis.getAction()).contains("Set autocert4j.email");
        });
    }

    @Test
    void termsOfServiceNotAcceptedStopsTheStart() {
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.accept-terms-of-service=false").run(context ->
                assertThat(rootCause(context.getStartupFailure(), InvalidInputException.class).getMessage())
                        .startsWith("autocert4j.accept-terms-of-service 'false' must be true"));
    }

    @Test
    void theHttpPortMustNotBeTheHttpsPort() {
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.http-port=443").run(context ->
                assertThat(rootCause(context.getStartupFailure(), InvalidInputException.class).getMessage())
                        .isEqualTo("autocert4j.http-port '443' must differ from server.port: the CA validates over"
                                + " plain HTTP, and server.port serves HTTPS"));
    }

    @Test
    void aCaThatIsNeitherANameNorAnHttpsUrlStopsTheStart() {
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.ca=http://ca.example.com/dir").run(context ->
                assertThat(rootCause(context.getStartupFailure(), InvalidInputException.class).field())
                        .isEqualTo("autocert4j.ca"));
    }

    @Test
    void aDomainNoCaCanCertifyStopsTheStart() {
        runner().withPropertyValues("autocert4j.enabled=true", "autocert4j.domains=portal.example.com,localhost")
                .run(context -> assertThat(rootCause(context.getStartupFailure(), InvalidInputException.class).getMessage())
                        .startsWith("autocert4j.domains 'localhost' is a local name"));
    }

    @Test
    void everyPropertyHasADescriptionForTheIde() throws Exception {
        String metadata;
        try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        java.util.List<String> names = com.jayway.jsonpath.JsonPath.read(metadata, "$.properties[*].name");
        java.util.List<Object> described = com.jayway.jsonpath.JsonPath.read(metadata,
                "$.properties[?(@.description)].name");

        assertThat(names).contains("autocert4j.enabled", "autocert4j.domains", "autocert4j.email",
                "autocert4j.accept-terms-of-service", "autocert4j.ca", "autocert4j.ca-trust", "autocert4j.http-port",
                "autocert4j.state-dir", "autocert4j.key-type", "autocert4j.profile", "autocert4j.renew-within",
                "autocert4j.check-every", "autocert4j.eab.key-id", "autocert4j.eab.hmac-key",
                "autocert4j.notify.webhook-url", "autocert4j.health.failing-within");
        assertThat(described).containsExactlyInAnyOrderElementsOf(names);
    }

    private static <T extends Throwable> T rootCause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure);
    }
}
