package dev.autocert4j.examples;

import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.TestCertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo with {@code --acme} twice, against two Pebbles with their own ports and roots: the
 * first stopped, {@code --once} gets the certificate from the second, the JSON naming it and why
 * the first was skipped; with the first back, the next renewal comes from the first again.
 */
class DemoCaFallbackIT {

    private static final int CHALLENGE_PORT = Ports.free();

    @RegisterExtension
    static final PebbleExtension FIRST = PebbleExtension.withDefaults().httpChallengePort(CHALLENGE_PORT);
    @RegisterExtension
    static final PebbleExtension SECOND = PebbleExtension.withDefaults().httpChallengePort(CHALLENGE_PORT);

    private static final Path JAR = Path.of("target", "autocert4j-demo.jar");
    private static final String DOMAIN = "fallback.autocert4j.test";

    @TempDir
    Path state;

    private record Run(int exitCode, String out, String err) {
        Map<String, String> certificate() {
            return out.lines().filter(line -> line.startsWith("{")).map(JsonFields::of)
                    .filter(fields -> DOMAIN.equals(fields.get("domain"))).findFirst().orElseThrow();
        }
    }

    /** {@code --once} for the binding, with both CAs, the first one first. */
    private Run once() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--once", "--binding", "http://" + DOMAIN + ":" + CHALLENGE_PORT,
                "--https-port", "8443", "--email", "admin@autocert4j.test", "--accept-tos",
                "--acme", FIRST.directoryUri().toString(), "--acme", SECOND.directoryUri().toString(),
                "--acme-trust", FIRST.trustFile().toString(), "--acme-trust", SECOND.trustFile().toString(),
                "--acme-name", "Pebble A", "--bind-address", "127.0.0.1", "--state", state.toString()));
        Path out = state.resolveSibling(state.getFileName() + "-out.txt");
        Path err = state.resolveSibling(state.getFileName() + "-err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("demo finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Makes the stored certificate due: a 90-day one from an earlier CA, issued 80 days ago. */
    private void storeADueCertificate() throws Exception {
        IssuedCertificate old = new TestCertificateAuthority("An earlier CA").issue(KeyType.EC_P256.generate(),
                Instant.now().minus(Duration.ofDays(80)), Duration.ofDays(90), DOMAIN);
        new Pkcs12CertificateStore(state.resolve("store"),
                Files.readString(state.resolve("keystore.password")).strip().toCharArray()).saveCertificate(old);
    }

    @Test
    void theFirstCaStoppedTheSecondIssuesInTheSameOnceAndTheNextRenewalAsksTheFirst() throws Exception {
        int issuedBySecond = SECOND.server().issuedCount();
        FIRST.server().stop();
        Run fallback;
        try {
            fallback = once();
        } finally {
            FIRST.server().restart();
        }

        assertThat(fallback.exitCode()).as(fallback.err()).isZero();
        assertThat(fallback.certificate()).containsEntry("outcome", "obtained")
                .containsEntry("certificateAuthority", SECOND.directoryUri().toString())
                .hasEntrySatisfying("skippedAuthorities", note -> assertThat(note)
                        .startsWith("Pebble A was skipped: Could not reach Pebble A"));
        assertThat(SECOND.server().issuedCount()).isEqualTo(issuedBySecond + 1);

        storeADueCertificate();
        Run renewal = once();

        assertThat(renewal.exitCode()).as(renewal.err()).isZero();
        assertThat(renewal.certificate()).containsEntry("outcome", "renewed")
                .containsEntry("certificateAuthority", FIRST.directoryUri().toString())
                .containsEntry("skippedAuthorities", null);
        assertThat(SECOND.server().issuedCount()).isEqualTo(issuedBySecond + 1);
    }
}
