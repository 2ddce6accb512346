package dev.autocert4j;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CAA check's settings: on by default, checked input, and kept by every other copy of a CA. */
class CaaCheckTest {

    @Test
    void everyCaChecksCaaThroughTheSystemsResolversByDefault() {
        CaaCheck check = CertificateAuthority.letsEncrypt().caaCheck();

        assertThat(check.enabled()).isTrue();
        assertThat(check.resolvers()).isEmpty();
        assertThat(check.identities()).isEmpty();
        assertThat(CaaCheck.off().enabled()).isFalse();
    }

    @Test
    void identitiesMustBeDomainNamesAndResolversAddresses() {
        assertThat(CaaCheck.standard().withIdentities(List.of(" Pebble.Test ")).identities()).containsExactly("pebble.test");
        for (String bad : List.of("", "pebble.test.", "pebble test", "*.pebble.test", "pebble.test;x", "-pebble.test")) {
            assertThatThrownBy(() -> CaaCheck.standard().withIdentities(List.of(bad))).as(bad)
                    .isInstanceOf(InvalidInputException.class);
        }
        assertThatThrownBy(() -> CaaCheck.standard().withResolvers(List.of())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> CaaCheck.standard()
                .withResolvers(List.of(InetSocketAddress.createUnresolved("dns.example", 53)))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theCheckSurvivesEveryOtherCopyOfTheCa() {
        CaaCheck check = CaaCheck.standard().withResolvers(List.of(new InetSocketAddress("127.0.0.1", 5353)))
                .withIdentities(List.of("pebble.test"));

        CertificateAuthority ca = CertificateAuthority.at(URI.create("https://ca.example/dir")).withCaaCheck(check)
                .named("Pebble").withoutRateLimits().withNewOrderLimit(RateLimit.of(1, Duration.ofHours(1)))
                .withFallbackPolicy(FallbackPolicy.never());

        assertThat(ca.caaCheck()).isSameAs(check);
        assertThat(ca.withCaaCheck(CaaCheck.off()).caaCheck().enabled()).isFalse();
    }
}
