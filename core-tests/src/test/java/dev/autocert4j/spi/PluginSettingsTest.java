package dev.autocert4j.spi;

import dev.autocert4j.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    @Test
    void aSecretIsReadFromAFileOnlyItsOwnerCanRead(@TempDir Path folder) throws Exception {
        Path token = Files.createFile(folder.resolve("token"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(token, "s3cr3t-token\n");

        assertThat(of("api-token-file", token.toString()).secret("api-token")).contains("s3cr3t-token");
        assertThat(of("api-token-file", token.toString()).requiredSecret("api-token")).isEqualTo("s3cr3t-token");
    }

    @Test
    void aSecretFileOtherUsersCanReadIsRefusedWithoutShowingTheSecret(@TempDir Path folder) throws Exception {
        Path token = Files.createFile(folder.resolve("token"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-r--r--")));
        Files.writeString(token, "s3cr3t-token");

        assertThatThrownBy(() -> of("api-token-file", token.toString()).secret("api-token"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("api-token-file").hasMessageContaining("other users")
                .hasMessageNotContaining("s3cr3t-token");
    }

    @Test
    void aSecretVariableThatIsNotSetIsRefusedNamingIt() {
        assertThatThrownBy(() -> of("api-token-variable", "AUTOCERT4J_TEST_UNSET_VARIABLE").secret("api-token"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("AUTOCERT4J_TEST_UNSET_VARIABLE").hasMessageContaining("not set");
    }

    @Test
    void aSecretFromAnEnvironmentVariableIsRead() {
        String variable = System.getenv().keySet().stream().filter(name -> !System.getenv(name).isBlank())
                .findFirst().orElseThrow();

        assertThat(of("api-token-variable", variable).secret("api-token")).contains(System.getenv(variable).strip());
    }

    @Test
    void aMissingRequiredSecretNamesBothSettingsThatCouldGiveIt() {
        assertThat(PluginSettings.of("test", Map.of()).secret("api-token")).isEmpty();
        assertThatThrownBy(() -> PluginSettings.of("cloudflare", Map.of()).requiredSecret("api-token"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("api-token-file").hasMessageContaining("api-token-variable")
                .hasMessageContaining("cloudflare");
    }
}
