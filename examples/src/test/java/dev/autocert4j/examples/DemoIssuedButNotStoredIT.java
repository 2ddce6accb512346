package dev.autocert4j.examples;

import dev.autocert4j.pkcs12.Pkcs12CertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo portal killed between the CA issuing its certificate and the store saving it (the test-only
 * fault point {@code autocert4j.test.haltAfterIssuance} halts the process there, as {@code kill -9}
 * would), then started again: it takes the certificate Pebble issued from the recorded order, stores
 * and serves it, and Pebble issues no second one.
 */
class DemoIssuedButNotStoredIT {

    private static final String DOMAIN = "crash.autocert4j.test";
    /** The exit status of the halted process, as after {@code kill -9}. */
    private static final int KILLED = 137;

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    @TempDir
    Path state;
    @TempDir
    Path logs;

    private List<String> portal(int httpsPort) {
        String binding = "http://" + DOMAIN + ":" + PEBBLE.httpChallengePort();
        return List.of("run", "--acme", PEBBLE.directoryUri().toString(), "--acme-trust", PEBBLE.trustFile().toString(),
                "--acme-name", "Pebble", "--listen", binding, "--binding", binding, "--https-port",
                String.valueOf(httpsPort), "--email", "admin@autocert4j.test", "--accept-tos", "--bind-address",
                "127.0.0.1", "--admin-port", "0", "--state", state.toString());
    }

    private Pkcs12CertificateStore store() throws Exception {
        return new Pkcs12CertificateStore(state.resolve("store"),
                Files.readString(state.resolve("keystore.password")).strip().toCharArray());
    }

    @Test
    void aPortalKilledBetweenIssuanceAndStorageServesThatCertificateAfterARestartWithoutASecondOrder() throws Exception {
        int httpsPort = Ports.free();
        int issuedBefore = PEBBLE.server().issuedCount();
        List<String> halting = new ArrayList<>(List.of("-Dautocert4j.test.haltAfterIssuance=true"));
        try (DemoProcess killed = DemoProcess.start(logs.resolve("killed.log"), halting, portal(httpsPort))) {
            assertThat(killed.awaitExit(Duration.ofSeconds(90))).as(killed::log).isEqualTo(KILLED);
            assertThat(killed.log()).contains("halting after issuance");
        }
        assertThat(PEBBLE.server().issuedCount()).as("Pebble issued").isEqualTo(issuedBefore + 1);
        String issuedSerial = PEBBLE.server().issuedSerials().get(PEBBLE.server().issuedSerials().size() - 1);
        assertThat(store().loadMetadata(DOMAIN)).as("nothing stored before the kill").isEmpty();
        assertThat(store().loadPendingOrder(DOMAIN)).as("the order recorded before finalizing").isPresent();

        try (DemoProcess restarted = DemoProcess.start(logs.resolve("restarted.log"), List.of(),
                portal(httpsPort))) {
            restarted.awaitLog("HTTPS is live on https://" + DOMAIN, Duration.ofSeconds(60));
            X509Certificate served = TlsClient.create().handshake(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    httpsPort), DOMAIN).get(0);

            assertThat(served.getSerialNumber().toString(16)).as("served").isEqualTo(issuedSerial);
            assertThat(store().loadMetadata(DOMAIN).orElseThrow().serialNumber()).as("stored")
                    .isEqualToIgnoringCase(issuedSerial);
            assertThat(store().loadPendingOrder(DOMAIN)).as("the record removed once stored").isEmpty();
            assertThat(PEBBLE.server().issuedCount()).as("Pebble issued one certificate in all").isEqualTo(issuedBefore + 1);
            assertThat(restarted.log()).contains("Took the certificate for " + DOMAIN);
        }
    }
}
