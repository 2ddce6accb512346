package dev.autocert4j.examples;

import dev.autocert4j.AutoCert;
import dev.autocert4j.spi.ChallengeSolverFactory;
import dev.autocert4j.spi.NamedPlugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo chooses its challenge solvers by name, through the factories the modules register. */
class DemoChallengePluginsTest {

    @TempDir
    Path folder;

    @Test
    void everyBuiltInChallengeSolverIsFoundByItsName() {
        assertThat(NamedPlugins.all(ChallengeSolverFactory.class, getClass().getClassLoader()).keySet())
                .contains("http-01", "tls-alpn-01", "rfc2136");
    }

    @Test
    void dns01OverRfc2136AndTlsAlpn01OnTheHttpsPortAreChosenByName() throws Exception {
        Path key = Files.writeString(folder.resolve("update.key"), "key \"k\" { algorithm hmac-sha256; secret \"c2VjcmV0\"; };",
                java.nio.charset.StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        DemoOptions options = DemoOptions.parse("run", "--binding", "http://a.example.com:80", "--https-port", "8443",
                "--challenge", "tls-alpn-01", "--dns-rfc2136", "[::1]:5353", "--dns-tsig-file", key.toString());

        Map<String, String> plugins = DemoMain.challengePlugins(options, true);

        assertThat(plugins).containsExactlyInAnyOrderEntriesOf(Map.of("challenge", "tls-alpn-01,rfc2136",
                "tls-alpn-01.listen", "0.0.0.0:8443", "rfc2136.server", "[0:0:0:0:0:0:0:1]:5353",
                "rfc2136.tsig-file", key.toString()));
        AutoCert.builder().plugins(getClass().getClassLoader(), plugins); // each name and setting is known
        assertThat(DemoMain.challengePlugins(options, false)).doesNotContainKey("tls-alpn-01.listen")
                .containsEntry("challenge", "rfc2136");
    }

    @Test
    void withoutDnsOrAnHttpsPortNothingIsChosenByName() throws Exception {
        DemoOptions options = DemoOptions.parse("run", "--binding", "http://a.example.com:80");

        assertThat(DemoMain.challengePlugins(options, true)).isEmpty();
    }

    @Test
    void aTsigKeyFileOthersCanReadIsRefusedBeforeAnyPluginIsMade() throws IOException {
        Path key = Files.writeString(folder.resolve("open.key"), "key \"k\" { algorithm hmac-sha256; secret \"c2VjcmV0\"; };");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> DemoMain.challengePlugins(DemoOptions.parse("run", "--binding", "http://a.example.com:80",
                "--challenge", "dns-01", "--dns-rfc2136", "127.0.0.1:53", "--dns-tsig-file", key.toString()), true))
                .isInstanceOf(IOException.class).hasMessageContaining("can be read or changed by other users");
    }
}
