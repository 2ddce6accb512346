package dev.autocert4j.spring.boot;

import dev.autocert4j.CaaCheck;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code autocert4j.caa.*}: the CAA check each configured CA makes before ordering. */
class CaaSettingsTest {

    @Test
    void byDefaultEveryCaChecksCaaThroughTheSystemsResolvers() {
        AutoCertProperties properties = new AutoCertProperties();
        properties.setCas(List.of("letsencrypt", "https://acme.example.net/directory"));

        assertThat(AutoCertSettings.certificateAuthorities(properties)).extracting(CertificateAuthority::caaCheck)
                .allSatisfy(check -> {
                    assertThat(check.enabled()).isTrue();
                    assertThat(check.resolvers()).isEmpty();
                });
    }

    @Test
    void theResolversDefaultToDns01sAndCaasOwnWin() {
        AutoCertProperties properties = new AutoCertProperties();
        properties.getDns().setResolvers(List.of("127.0.0.53:5353"));
        assertThat(AutoCertSettings.caaCheck(properties).resolvers()).containsExactly(new InetSocketAddress("127.0.0.53", 5353));

        properties.getCaa().setResolvers(List.of("[::1]:53", "10.0.0.2:53"));
        properties.getCaa().setIdentities(List.of("Pebble.Test"));
        CaaCheck check = AutoCertSettings.certificateAuthority(properties).caaCheck();
        assertThat(check.resolvers()).containsExactly(new InetSocketAddress("::1", 53), new InetSocketAddress("10.0.0.2", 53));
        assertThat(check.identities()).containsExactly("pebble.test");
    }

    @Test
    void enabledFalseLeavesTheDecisionToTheCa() {
        AutoCertProperties properties = new AutoCertProperties();
        properties.getCaa().setEnabled(false);

        assertThat(AutoCertSettings.certificateAuthority(properties).caaCheck().enabled()).isFalse();
    }

    @Test
    void aMalformedResolverOrIdentityIsRefusedNamingTheProperty() {
        AutoCertProperties properties = new AutoCertProperties();
        properties.getCaa().setResolvers(List.of("10.0.0.2"));
        assertThatThrownBy(() -> AutoCertSettings.caaCheck(properties)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("autocert4j.caa.resolvers '10.0.0.2' must be HOST:PORT");

        properties.getCaa().setResolvers(List.of("10.0.0.2:99999"));
        assertThatThrownBy(() -> AutoCertSettings.caaCheck(properties)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("autocert4j.caa.resolvers");

        properties.getCaa().setResolvers(List.of());
        properties.getCaa().setIdentities(List.of("not a domain"));
        assertThatThrownBy(() -> AutoCertSettings.caaCheck(properties)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("autocert4j.caa.identities");
    }
}
