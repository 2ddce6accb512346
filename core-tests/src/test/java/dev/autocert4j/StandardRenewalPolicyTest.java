package dev.autocert4j;

import dev.autocert4j.spi.RenewalPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandardRenewalPolicyTest {

    private static final Instant ISSUED = Instant.parse("2026-11-01T00:00:00Z");

    private static CertificateMetadata certificate(Duration lifetime) {
        return new CertificateMetadata("portal.example.com", ISSUED, ISSUED, ISSUED.plus(lifetime), "1", "CN=CA",
                null, null);
    }

    @Test
    void aNinetyDayCertificateIsDueTwentyOneDaysBeforeExpiry() {
        RenewalPolicy policy = RenewalPolicy.standard();
        CertificateMetadata cert = certificate(Duration.ofDays(90));

        assertThat(policy.renewalTime(cert)).isEqualTo(ISSUED.plus(Duration.ofDays(69)));
        assertThat(policy.isDue(cert, ISSUED.plus(Duration.ofDays(69)).minusSeconds(1))).isFalse();
        assertThat(policy.isDue(cert, ISSUED.plus(Duration.ofDays(69)))).isTrue();
        assertThat(policy.checkInterval(cert)).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void aSixDayCertificateIsRenewedAtHalfItsLifetime() {
        RenewalPolicy policy = RenewalPolicy.standard();
        CertificateMetadata cert = certificate(Duration.ofDays(6));

        assertThat(policy.renewalTime(cert)).isEqualTo(ISSUED.plus(Duration.ofDays(3)));
        assertThat(policy.isDue(cert, ISSUED.plus(Duration.ofDays(1)))).isFalse();
    }

    @Test
    void aFortyFiveDayCertificateGetsAThirdOfItsLifetimeAsWindow() {
        CertificateMetadata cert = certificate(Duration.ofDays(45));

        assertThat(RenewalPolicy.standard().renewalTime(cert)).isEqualTo(ISSUED.plus(Duration.ofDays(30)));
    }

    @Test
    void checksAtLeastTwicePerRenewalWindow() {
        CertificateMetadata cert = certificate(Duration.ofHours(12));

        assertThat(RenewalPolicy.standard().checkInterval(cert)).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void rejectsNonsenseNumbers() {
        assertThatThrownBy(() -> RenewalPolicy.of(Duration.ofSeconds(5), Duration.ofDays(21)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("checkEvery");
        assertThatThrownBy(() -> RenewalPolicy.of(Duration.ofHours(24), Duration.ZERO))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("renewWithin");
    }
}
