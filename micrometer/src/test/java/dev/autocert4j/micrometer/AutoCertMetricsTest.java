package dev.autocert4j.micrometer;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.ChallengeFailedException;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.RateLimitedException;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AutoCertMetricsTest {

    private static final String DOMAIN = "portal.example.com";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T00:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AutoCertMetrics metrics = new AutoCertMetrics(registry, clock);

    private IssuedCertificate certificate(String domain, Duration lifetime) {
        return TestCertificates.issued(domain, clock.instant(), lifetime);
    }

    private double expirySeconds(String domain) {
        return registry.get(AutoCertMetrics.EXPIRY).tag("domain", domain).gauge().value();
    }

    @Test
    void theExpiryGaugeCountsDownWithTheClockAndFollowsEachNewCertificate() {
        IssuedCertificate first = certificate(DOMAIN, Duration.ofDays(90));
        metrics.obtaining(DOMAIN);
        metrics.obtained(first, false);

        assertThat(expirySeconds(DOMAIN)).isEqualTo(Duration.ofDays(90).toSeconds());
        clock.advance(Duration.ofDays(80));
        assertThat(expirySeconds(DOMAIN)).isEqualTo(Duration.ofDays(10).toSeconds());

        metrics.obtained(certificate(DOMAIN, Duration.ofDays(90)), true);
        assertThat(expirySeconds(DOMAIN)).isEqualTo(Duration.ofDays(90).toSeconds());
        clock.advance(Duration.ofDays(91));
        assertThat(expirySeconds(DOMAIN)).as("negative once expired").isEqualTo(-Duration.ofDays(1).toSeconds());
        assertThat(registry.find(AutoCertMetrics.EXPIRY).gauges()).hasSize(1);
    }

    @Test
    void attemptsAreCountedAndTimedByOutcomeAndError() {
        metrics.obtaining(DOMAIN);
        metrics.failed(DOMAIN, new ChallengeFailedException("Pebble", "invalid", URI.create("http://" + DOMAIN
                + "/.well-known/acme-challenge/x"), null, "refused"), clock.instant().plusSeconds(60));
        metrics.obtaining(DOMAIN);
        metrics.failed(DOMAIN, new RateLimitedException("too many orders", null, clock.instant().plusSeconds(3600), null), null);
        metrics.obtaining(DOMAIN);
        metrics.obtained(certificate(DOMAIN, Duration.ofDays(90)), true);

        assertThat(registry.get(AutoCertMetrics.ATTEMPTS).tags("domain", DOMAIN, "outcome", "failure", "error",
                "ChallengeFailed").counter().count()).isEqualTo(1);
        assertThat(registry.get(AutoCertMetrics.ATTEMPTS).tags("outcome", "failure", "error", "RateLimited")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get(AutoCertMetrics.ATTEMPTS).tags("outcome", "success", "error", "none").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(AutoCertMetrics.ISSUANCE).tags("domain", DOMAIN, "outcome", "failure").timer().count())
                .isEqualTo(2);
        assertThat(registry.get(AutoCertMetrics.ISSUANCE).tags("outcome", "success").timer().totalTime(TimeUnit.NANOSECONDS))
                .isPositive();
    }

    @Test
    void expiringSoonWarningsAreCounted() {
        metrics.expiringSoon(DOMAIN, clock.instant().plus(Duration.ofDays(3)));
        metrics.expiringSoon(DOMAIN, clock.instant().plus(Duration.ofDays(3)));

        assertThat(registry.get(AutoCertMetrics.EXPIRING_SOON).tag("domain", DOMAIN).counter().count()).isEqualTo(2);
    }

    @Test
    void monitorPublishesTheCertificatesAlreadyStoredWithoutAnyAttempt() {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        store.saveCertificate(certificate(DOMAIN, Duration.ofDays(30)));
        AutoCert autoCert = AutoCert.builder()
                .certificateAuthority(CertificateAuthority.at(URI.create("https://ca.invalid/dir")))
                .bindingProvider(new RecordingBindingProvider("http://portal.example.com:8080",
                        "http://unissued.example.com:8080"))
                .challengeSolver(new InMemoryChallengeSolver())
                .certificateStore(store)
                .clock(clock)
                .listener(metrics)
                .build();
        try (autoCert) {
            autoCert.manage(request("http://portal.example.com:8080"));
            autoCert.manage(request("http://unissued.example.com:8080"));

            metrics.monitor(autoCert);

            assertThat(expirySeconds(DOMAIN)).isEqualTo(Duration.ofDays(30).toSeconds());
            assertThat(registry.find(AutoCertMetrics.EXPIRY).tag("domain", "unissued.example.com").gauge())
                    .as("no certificate, no gauge").isNull();
            assertThat(registry.find(AutoCertMetrics.ATTEMPTS).counters()).isEmpty();
        }
    }

    @Test
    void aCertificateInstalledFromTheStoreUpdatesTheGauge() {
        IssuedCertificate fromAnotherNode = certificate(DOMAIN, Duration.ofDays(7));

        metrics.installed(fromAnotherNode.metadata(), Binding.parse("https://portal.example.com:443"), InstallResult.LIVE);

        assertThat(expirySeconds(DOMAIN)).isEqualTo(Duration.ofDays(7).toSeconds());
    }

    private static EnrollmentRequest request(String binding) {
        return EnrollmentRequest.builder().binding(Binding.parse(binding)).httpsPort(8443).email("admin@example.com")
                .termsOfServiceAccepted(true).build();
    }
}
