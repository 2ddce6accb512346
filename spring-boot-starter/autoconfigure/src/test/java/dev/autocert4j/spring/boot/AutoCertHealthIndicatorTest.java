package dev.autocert4j.spring.boot;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health indicator's verdicts over a real {@link AutoCert} whose CA refuses connections (port 1
 * of this machine), so that renewal fails at once; the clock is moved, nothing waits.
 */
class AutoCertHealthIndicatorTest {

    private static final String DOMAIN = "portal.example.com";

    private final MutableClock clock = new MutableClock(Instant.now());
    private final InMemoryCertificateStore store = new InMemoryCertificateStore();
    private final AutoCert autoCert = AutoCert.builder()
            .certificateAuthority(CertificateAuthority.at(URI.create("https://127.0.0.1:1/dir")))
            .bindingProvider(new RecordingBindingProvider("http://portal.example.com:80"))
            .challengeSolver(new InMemoryChallengeSolver())
            .certificateStore(store)
            .clock(clock)
            .verifyInstallation(false)
            .build();

    @AfterEach
    void close() {
        autoCert.close();
    }

    private AutoCertHealthIndicator health(Duration failingWithin) {
        return new AutoCertHealthIndicator(autoCert, DOMAIN, failingWithin, clock, Optional::empty);
    }

    private void manage() {
        autoCert.manage(EnrollmentRequest.builder().binding(Binding.parse("http://portal.example.com:80"))
                .httpsPort(443).email("admin@example.com").termsOfServiceAccepted(true).build());
    }

    @Test
    void unknownWhileTheFirstCertificateIsObtainedAndDownOnceThatFails() {
        manage();
        assertThat(health(Duration.ofDays(7)).health(true).getStatus()).isEqualTo(Status.UNKNOWN);

        autoCert.checkNow();

        Health down = health(Duration.ofDays(7)).health(true);
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails().get("lastError")).asString().contains("127.0.0.1:1");
    }

    @Test
    void aFailingRenewalIsUpWhileExpiryIsFarAndDownWithinTheThreshold() {
        store.saveCertificate(TestCertificates.issued(DOMAIN, clock.instant().minus(Duration.ofDays(80)), Duration.ofDays(90)));
        manage();
        assertThat(health(Duration.ofDays(7)).health(true).getStatus()).as("valid, nothing failed yet").isEqualTo(Status.UP);

        autoCert.checkNow(); // due: expires in 10 days, within 21; the CA refuses

        Health farFromExpiry = health(Duration.ofDays(7)).health(true);
        assertThat(farFromExpiry.getStatus()).isEqualTo(Status.UP);
        assertThat(farFromExpiry.getDetails()).containsKeys("lastError", "notAfter", "serialNumber");
        assertThat(health(Duration.ofDays(14)).health(true).getStatus()).isEqualTo(Status.DOWN);
        clock.advance(Duration.ofDays(4));
        assertThat(health(Duration.ofDays(7)).health(true).getStatus()).as("6 days left").isEqualTo(Status.DOWN);
    }

    @Test
    void anExpiredCertificateIsDown() {
        store.saveCertificate(TestCertificates.issued(DOMAIN, clock.instant().minus(Duration.ofDays(30)), Duration.ofDays(90)));
        manage();
        clock.advance(Duration.ofDays(61));

        assertThat(health(Duration.ofDays(7)).health(true).getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void aStartThatFailedIsDownWithItsReason() {
        Health down = new AutoCertHealthIndicator(autoCert, DOMAIN, Duration.ofDays(7), clock,
                () -> Optional.of("The store folder /srv/x is not safe to keep keys in")).health(true);

        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails()).containsEntry("lastError", "The store folder /srv/x is not safe to keep keys in");
    }
}
