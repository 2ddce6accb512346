package dev.autocert4j.spi;

import dev.autocert4j.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginSettingsTest {

    private static PluginSettings of(String key, String value) {
        return PluginSettings.of("test", Map.of(key, value));
    }

    @Test
    void anAddressIsHostColonPortWithAnIpv6HostInBrackets() {
        assertThat(of("server", "ns1.example.com:53").address("server")).hasValueSatisfying(address -> {
            assertThat(address.getHostString()).isEqualTo("ns1.example.com");
            assertThat(address.getPort()).isEqualTo(53);
        });
        assertThat(of("server", "[::1]:5353").address("server")).map(InetSocketAddress::getHostString).contains("::1");
        assertThat(of("server", " ").address("server")).isEmpty();
    }

    @Test
    void anAddressWithoutAHostOrAPortInRangeIsRefusedNamingTheSetting() {
        for (String bad : new String[]{"ns1.example.com", ":53", "ns1.example.com:0", "ns1.example.com:65536", "ns1:dns"}) {
            assertThatThrownBy(() -> of("server", bad).address("server")).as(bad)
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("server").hasMessageContaining("HOST:PORT");
        }
    }

    @Test
    void aWholeNumberIsCheckedAgainstItsBounds() {
        assertThat(of("port", "8080").integer("port", 80, 1, 65_535)).isEqualTo(8080);
        assertThat(PluginSettings.of("test", Map.of()).integer("port", 80, 1, 65_535)).isEqualTo(80);
        assertThatThrownBy(() -> of("port", "0").integer("port", 80, 1, 65_535))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("between 1 and 65535");
    }

    @Test
    void theTextOfSettingsShowsTheirKeysNeverTheirValues() {
        PluginSettings settings = PluginSettings.of("jdbc", Map.of("password-file", "/run/secrets/db", "token", "s3cr3t"));

        assertThat(settings.toString()).contains("password-file", "token").doesNotContain("s3cr3t");
        assertThatThrownBy(() -> settings.requireOnly(Set.of("password-file")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("token")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    }
}
