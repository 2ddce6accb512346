package dev.autocert4j.examples;

import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.PowerDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's --dns-provider, --dns-config and --dns-resolver against a real PowerDNS that Pebble asks:
 * a certificate for the apex and its wildcard, and each kind of bad input refused with the exit code
 * and message the demo promises.
 */
class DemoDnsProviderIT {

    private static final int HTTP_PORT = Ports.free();
    private static final int HTTPS_PORT = Ports.free();

    @RegisterExtension
    static final PowerDnsExtension PDNS = new PowerDnsExtension().zone("example.test", "@ A 127.0.0.1");
    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().dnsServer(PDNS.dnsAddress());

    @TempDir
    Path state;

    private DemoRun demo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--acme", PEBBLE.directoryUri().toString(), "--acme-trust", PEBBLE.trustFile().toString(),
                "--acme-name", "Pebble", "--email", "admin@autocert4j.test", "--accept-tos", "--once",
                "--bind-address", "127.0.0.1", "--state", state.toString()));
        return DemoRun.of(command, state.getParent());
    }

    private Path config(String name, String apiKey, String... extraLines) throws Exception {
        Path key = state.resolveSibling(name + ".key");
        Files.deleteIfExists(key);
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, apiKey);
        List<String> lines = new ArrayList<>(List.of("api-url=" + PDNS.server().apiUrl(), "api-key-file=" + key));
        lines.addAll(List.of(extraLines));
        Path file = state.resolveSibling(name + ".properties");
        Files.write(file, lines);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--")); // no secret in it
        return file;
    }

    private static String binding(String host) {
        return "http://" + host + ":" + HTTP_PORT; // not 80: other test classes run demos at the same time
    }

    private static String resolver() {
        return PDNS.address().getHostAddress() + ":53";
    }

    @Test
    void theApexAndItsWildcardThroughPowerDns() throws Exception {
        DemoRun run = demo("--binding", binding("example.test"), "--extra-name", "*.example.test", "--https-port", String.valueOf(HTTPS_PORT),
                "--challenge", "dns-01", "--dns-provider", "powerdns", "--dns-config",
                config("pdns", PDNS.server().apiKey()).toString(), "--dns-resolver", resolver());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.status().get("names").split(",")).containsExactlyInAnyOrder("example.test", "*.example.test");
    }

    @Test
    void anUnknownProviderExitsWith2ListingTheKnownOnes() throws Exception {
        DemoRun run = demo("--binding", binding("example.test"), "--https-port", String.valueOf(HTTPS_PORT), "--challenge", "dns-01",
                "--dns-provider", "powerdsn");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("autocert4j-demo: --dns-provider 'powerdsn' is not a known DNS provider; the"
                + " known ones are ").contains("powerdns").contains("rfc2136");
    }

    @Test
    void anUnknownSettingExitsWith2NamingItAndAMissingOneExitsWith1NamingIt() throws Exception {
        DemoRun unknown = demo("--binding", binding("example.test"), "--https-port", String.valueOf(HTTPS_PORT), "--challenge", "dns-01",
                "--dns-provider", "powerdns", "--dns-config", config("typo", "k", "api_key=secret-value").toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("'api_key' is not a setting of the powerdns DNS provider; it reads api-key-file,")
                .doesNotContain("secret-value");

        Path missing = state.resolveSibling("missing.properties");
        Files.writeString(missing, "server-id=localhost\n");
        DemoRun run = demo("--binding", binding("example.test"), "--https-port", String.valueOf(HTTPS_PORT), "--challenge", "dns-01",
                "--dns-provider", "powerdns", "--dns-config", missing.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("autocert4j-demo: api-url is required by the powerdns plugin")
                .doesNotContain("Registered ACME account");
    }

    @Test
    void aRefusedCredentialExitsWith1QuotingTheApiWithoutAStackTrace() throws Exception {
        DemoRun run = demo("--binding", binding("example.test"), "--https-port", String.valueOf(HTTPS_PORT), "--challenge", "dns-01",
                "--dns-provider", "powerdns", "--dns-config", config("wrong", "wrong-key").toString(),
                "--dns-resolver", resolver());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("The powerdns DNS API refused the credential: 'Unauthorized'")
                .doesNotContain("wrong-key").doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aConfigOthersCanChangeIsRefusedBeforeAnyCall() throws Exception {
        Path file = config("shared", PDNS.server().apiKey());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        DemoRun run = demo("--binding", binding("example.test"), "--https-port", String.valueOf(HTTPS_PORT), "--challenge", "dns-01",
                "--dns-provider", "powerdns", "--dns-config", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--dns-config " + file + " can be changed by other users")
                .doesNotContain("Registered ACME account");
    }
}
