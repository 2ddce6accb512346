package dev.autocert4j.examples;

import dev.autocert4j.testkit.BindExtension;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
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
 * The demo's challenge options against a real Pebble that asks a real BIND 9 for names and TXT
 * records (the zone example.test, every name in it 127.0.0.1): several bindings on one certificate,
 * TLS-ALPN-01, DNS-01 with a wildcard, the automatic choice, and the input refused before any call.
 */
class DemoChallengesIT {

    private static final int TLS_PORT = Ports.free();

    @RegisterExtension
    static final BindExtension BIND = new BindExtension("example.test");
    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().dnsServer(BIND.address()).tlsChallengePort(TLS_PORT);

    @TempDir
    Path state;

    private DemoRun demo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--acme", PEBBLE.directoryUri().toString(), "--acme-trust", PEBBLE.trustFile().toString(),
                "--acme-name", "Pebble", "--email", "admin@autocert4j.test", "--accept-tos", "--once",
                "--bind-address", "127.0.0.1", "--state", state.toString()));
        return DemoRun.of(command, state.getParent());
    }

    private static String binding(String host) {
        return "http://" + host + ":" + PEBBLE.httpChallengePort();
    }

    @Test
    void threeBindingsGetOneCertificateWhoseStatusListsAllThree() throws Exception {
        DemoRun run = demo("--binding", binding("a.example.test"), "--binding", binding("b.example.test"),
                "--binding", binding("c.example.test"), "--https-port", "8443");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.status().get("domain")).isEqualTo("a.example.test");
        assertThat(run.status().get("names").split(",")).as("in the order the CA put them on the certificate")
                .containsExactlyInAnyOrder("a.example.test", "b.example.test", "c.example.test");
    }

    @Test
    void tlsAlpn01OnTheHttpsPortWithNothingOnPort80() throws Exception {
        DemoRun run = demo("--binding", "http://alpn.example.test:" + Ports.free(), "--https-port", String.valueOf(TLS_PORT),
                "--challenge", "tls-alpn-01");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("Pebble validated alpn.example.test over TLS-ALPN-01");
        assertThat(run.status().get("names")).isEqualTo("alpn.example.test");
    }

    @Test
    void dns01ForTheApexAndItsWildcardThroughRfc2136() throws Exception {
        Path key = BIND.server().writeKeyFile(state.resolveSibling("update.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------")); // the demo refuses it otherwise

        DemoRun run = demo("--binding", binding("example.test"), "--extra-name", "*.example.test", "--https-port", "8443",
                "--challenge", "dns-01", "--dns-rfc2136", "127.0.0.1:" + BIND.address().getPort(),
                "--dns-tsig-file", key.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.status().get("names").split(",")).as("in the order the CA put them on the certificate")
                .containsExactlyInAnyOrder("example.test", "*.example.test");
    }

    @Test
    void autoTriesPort80ThenTheHttpsPortAndTakesTlsAlpn01ForAnIpAddress() throws Exception {
        DemoRun run = demo("--binding", "http://127.0.0.1:" + Ports.free(), "--https-port", String.valueOf(TLS_PORT),
                "--challenge", "auto", "--validation-ports", PEBBLE.httpChallengePort() + "," + TLS_PORT);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("Chose tls-alpn-01 for [127.0.0.1]");
        assertThat(run.status().get("names")).isEqualTo("127.0.0.1");
    }

    @Test
    void aWildcardWithoutDns01AndDns01WithoutAProviderAreRefusedBeforeAnyCall() throws Exception {
        DemoRun wildcard = demo("--binding", binding("example.test"), "--extra-name", "*.example.test", "--https-port", "8443");
        assertThat(wildcard.exitCode()).isEqualTo(1);
        assertThat(wildcard.err()).contains("autocert4j-demo: extraNames '*.example.test' is a wildcard; wildcard"
                + " certificates need the DNS-01 challenge, not http-01");
        assertThat(wildcard.err()).doesNotContain("Registered ACME account");

        DemoRun noProvider = demo("--binding", binding("example.test"), "--https-port", "8443", "--challenge", "dns-01");
        assertThat(noProvider.exitCode()).isEqualTo(2);
        assertThat(noProvider.err()).startsWith("autocert4j-demo: --challenge dns-01 needs --dns-provider NAME (with"
                + " --dns-config F), or --dns-rfc2136 HOST:PORT and --dns-tsig-file F");
    }

    @Test
    void aTsigKeyFileOtherUsersCanReadIsRefusedBeforeAnyCall() throws Exception {
        Path key = BIND.server().writeKeyFile(state.resolveSibling("readable.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        DemoRun run = demo("--binding", binding("example.test"), "--https-port", "8443", "--challenge", "dns-01",
                "--dns-rfc2136", "127.0.0.1:" + BIND.address().getPort(), "--dns-tsig-file", key.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("autocert4j-demo: the TSIG key file " + key + " can be read or changed by other users")
                .doesNotContain("Registered ACME account");
    }
}
