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
 * The CAA check before ordering, with the demo's --caa-resolver and --caa-identity, against CAA
 * records in a real PowerDNS that Pebble also validates through: a refused name is never ordered
 * (Pebble's log counts no new order) and the message names the record and where it is; an allowed
 * one is issued. Pebble's directory lists no caaIdentities, so the test names it pebble.test.
 * PowerDNS is authoritative only (it refuses names outside its zones, which the check takes as a
 * failed lookup), so it serves {@code test} too.
 */
class DemoCaaIT {

    private static final int HTTP_PORT = Ports.free();
    private static final int HTTPS_PORT = Ports.free();

    private static final String PEBBLE_IDENTITY = "pebble.test";

    @RegisterExtension
    static final PowerDnsExtension PDNS = new PowerDnsExtension()
            .zone("test") // the climb towards the root asks the top-level name too, which a resolver must answer
            .zone("open.test", "@ A 127.0.0.1")
            .zone("forbidden.test", "@ A 127.0.0.1", "@ CAA 0 issue \"other.example\"")
            .zone("wild.test", "@ A 127.0.0.1", "portal A 127.0.0.1", "@ CAA 0 issue \";\"",
                    "@ CAA 0 issuewild \"" + PEBBLE_IDENTITY + "\"", "portal CAA 0 issue \"" + PEBBLE_IDENTITY + "\"")
            .zone("account.test", "@ A 127.0.0.1",
                    "@ CAA 0 issue \"" + PEBBLE_IDENTITY + "; accounturi=https://127.0.0.1:14000/my-account/999\"")
            .zone("alias.test", "@ A 127.0.0.1", "portal CNAME target.alias.test.", "target A 127.0.0.1",
                    "target CAA 0 issue \"other.example\"");
    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().dnsServer(PDNS.dnsAddress());

    @TempDir
    Path state;

    /** The demo with dns-01 through PowerDNS, CAA asked of it, and Pebble known as pebble.test. */
    private DemoRun demo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--acme", PEBBLE.directoryUri().toString(), "--acme-trust", PEBBLE.trustFile().toString(),
                "--acme-name", "Pebble", "--email", "admin@autocert4j.test", "--accept-tos", "--once",
                "--bind-address", "127.0.0.1", "--state", state.toString(), "--https-port", String.valueOf(HTTPS_PORT),
                "--challenge", "dns-01", "--dns-provider", "powerdns", "--dns-config", dnsConfig().toString(),
                "--dns-resolver", resolver(), "--caa-identity", PEBBLE_IDENTITY));
        return DemoRun.of(command, state.getParent());
    }

    private Path dnsConfig() throws Exception {
        Path key = state.resolveSibling(state.getFileName() + "-pdns.key");
        if (!Files.exists(key)) {
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, PDNS.server().apiKey());
        }
        Path file = state.resolveSibling(state.getFileName() + "-pdns.properties");
        Files.write(file, List.of("api-url=" + PDNS.server().apiUrl(), "api-key-file=" + key));
        return file;
    }

    private static String binding(String host) {
        return "http://" + host + ":" + HTTP_PORT; // not 80: other test classes run demos at the same time
    }

    private static String resolver() {
        return PDNS.address().getHostAddress() + ":53";
    }

    @Test
    void aNameWithoutCaaIsOrderedAndIssued() throws Exception {
        int orders = PEBBLE.server().orderCount();

        DemoRun run = demo("--binding", binding("open.test"), "--caa-resolver", resolver());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.status().get("names")).isEqualTo("open.test");
        assertThat(PEBBLE.server().orderCount()).isEqualTo(orders + 1);
    }

    @Test
    void anotherIssuerOnTheApexIsRefusedBeforeAnyOrderNamingTheRecord() throws Exception {
        int orders = PEBBLE.server().orderCount();

        DemoRun run = demo("--binding", binding("forbidden.test"), "--caa-resolver", resolver());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err() + run.out()).contains("CAA at forbidden.test forbids issuance by pebble.test: 0 issue"
                + " \"other.example\" (for forbidden.test).");
        assertThat(PEBBLE.server().orderCount()).as("no order sent").isEqualTo(orders);
    }

    @Test
    void issueSemicolonWithIssuewildAllowingOrdersTheWildcardButNotThePlainApex() throws Exception {
        int orders = PEBBLE.server().orderCount();
        DemoRun wildcard = demo("--binding", binding("portal.wild.test"), "--extra-name", "*.wild.test");
        assertThat(wildcard.exitCode()).as(wildcard.err()).isZero();
        assertThat(wildcard.status().get("names").split(",")).containsExactlyInAnyOrder("portal.wild.test", "*.wild.test");
        assertThat(PEBBLE.server().orderCount()).isEqualTo(orders + 1);

        DemoRun apex = demo("--binding", binding("wild.test"));

        assertThat(apex.exitCode()).isEqualTo(1);
        assertThat(apex.err() + apex.out()).contains("CAA at wild.test forbids issuance by pebble.test: 0 issue \";\""
                + " (for wild.test).");
        assertThat(PEBBLE.server().orderCount()).as("no order for the apex").isEqualTo(orders + 1);
    }

    @Test
    void anAccountUriOfAnotherAccountIsRefusedBeforeAnyOrder() throws Exception {
        int orders = PEBBLE.server().orderCount();

        DemoRun run = demo("--binding", binding("account.test"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err() + run.out()).contains("CAA at account.test forbids issuance by pebble.test: 0 issue"
                + " \"pebble.test; accounturi=https://127.0.0.1:14000/my-account/999\"");
        assertThat(PEBBLE.server().orderCount()).isEqualTo(orders);
    }

    @Test
    void theCaaAtACnameTargetIsObeyedAndNamedThere() throws Exception {
        int orders = PEBBLE.server().orderCount();

        DemoRun run = demo("--binding", binding("portal.alias.test"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err() + run.out()).contains("CAA at target.alias.test (the alias target of portal.alias.test)"
                + " forbids issuance by pebble.test: 0 issue \"other.example\"");
        assertThat(PEBBLE.server().orderCount()).isEqualTo(orders);
    }

    @Test
    void aResolverThatDoesNotAnswerIsReportedAndTheOrderGoesAheadForTheCaToDecide() throws Exception {
        int orders = PEBBLE.server().orderCount();

        DemoRun run = demo("--binding", binding("open.test"), "--caa-resolver", "127.0.0.1:" + Ports.free());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err() + run.out()).contains("The CAA lookup of open.test (for open.test) through dns://127.0.0.1:")
                .contains("CAA is not checked before ordering open.test from Pebble");
        assertThat(PEBBLE.server().orderCount()).isEqualTo(orders + 1);
    }

    @Test
    void noCaaCheckLeavesTheDecisionToTheCa() throws Exception {
        int orders = PEBBLE.server().orderCount();

        DemoRun run = demo("--binding", binding("forbidden.test"), "--no-caa-check");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(PEBBLE.server().orderCount()).as("Pebble checks no CAA: it issues").isEqualTo(orders + 1);
    }
}
