package dev.autocert4j.examples;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.PebbleServer;
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
 * {@code --once} as a cron job runs it, as a separate process against a real Pebble: every stored
 * certificate that is due or expired is renewed (new serial), the exit code says whether all are
 * valid afterwards, and a CA that fails leaves a still-valid certificate in place with the reason
 * in the JSON. The due and expired certificates are put in the store as if obtained long ago
 * (validity in the past by construction, so nothing waits for time to pass); Pebble issues
 * 6-day certificates, so what it renews is short-lived too.
 */
class DemoOnceIT {

    private static final Duration PEBBLE_VALIDITY = Duration.ofDays(6);

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.with(PebbleServer.Settings.defaults()
            .withCertificateValidity(PEBBLE_VALIDITY));

    private static final Path JAR = Path.of("target", "autocert4j-demo.jar");
    private static final TestCertificateAuthority LONG_AGO = new TestCertificateAuthority("An earlier CA");

    @TempDir
    Path state;

    private record Run(int exitCode, String out, String err) {
        /** @return each JSON line printed, by domain */
        Map<String, Map<String, String>> certificates() {
            Map<String, Map<String, String>> byDomain = new java.util.TreeMap<>();
            out.lines().filter(line -> line.startsWith("{")).map(JsonFields::of)
                    .forEach(fields -> byDomain.put(fields.get("domain"), fields));
            return byDomain;
        }
    }

    private Run demo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = state.resolveSibling(state.getFileName() + "-out.txt");
        Path err = state.resolveSibling(state.getFileName() + "-err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("demo finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private String[] withCa(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--acme", PEBBLE.directoryUri().toString(), "--acme-trust", PEBBLE.trustFile().toString(),
                "--acme-name", "Pebble", "--bind-address", "127.0.0.1", "--state", state.toString()));
        return all.toArray(new String[0]);
    }

    private static String binding(String domain) {
        return "http://" + domain + ":" + PEBBLE.httpChallengePort();
    }

    /** Enrolls a name the way the README's first run does. */
    private void enroll(String domain) throws Exception {
        Run first = demo(withCa("--once", "--binding", binding(domain), "--https-port", "8443", "--email",
                "admin@autocert4j.test", "--accept-tos"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.certificates().get(domain)).containsEntry("outcome", "obtained").containsEntry("condition", "valid");
    }

    private Pkcs12CertificateStore store() throws Exception {
        return new Pkcs12CertificateStore(state.resolve("store"),
                Files.readString(state.resolve("keystore.password")).strip().toCharArray());
    }

    /** Replaces the stored certificate with a 90-day one issued {@code age} ago; returns its serial. */
    private String storeCertificateOfAge(String domain, Duration age) throws Exception {
        IssuedCertificate old = LONG_AGO.issue(KeyType.EC_P256.generate(), Instant.now().minus(age), Duration.ofDays(90),
                domain);
        store().saveCertificate(old);
        return old.metadata().serialNumber();
    }

    private String storedSerial(String domain) throws Exception {
        return store().loadMetadata(domain).map(CertificateMetadata::serialNumber).orElseThrow();
    }

    @Test
    void renewsTheDueAndTheExpiredCertificateWithNewSerialsAndExitsZeroThenKeepsThem() throws Exception {
        enroll("due.autocert4j.test");
        enroll("expired.autocert4j.test");
        String due = storeCertificateOfAge("due.autocert4j.test", Duration.ofDays(80)); // expires in 10 days: due
        String expired = storeCertificateOfAge("expired.autocert4j.test", Duration.ofDays(100)); // 10 days ago
        int issuedBefore = PEBBLE.server().issuedCount();

        Run run = demo("--once", "--acme", PEBBLE.directoryUri().toString(), "--acme-trust", PEBBLE.trustFile().toString(),
                "--bind-address", "127.0.0.1", "--state", state.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Map<String, Map<String, String>> printed = run.certificates();
        assertThat(printed).containsOnlyKeys("due.autocert4j.test", "expired.autocert4j.test");
        assertThat(printed.get("due.autocert4j.test")).containsEntry("outcome", "renewed")
                .containsEntry("condition", "valid").containsEntry("lastError", null)
                .hasEntrySatisfying("serial", serial -> assertThat(serial).isNotEqualTo(due))
                .hasEntrySatisfying("issuer", issuer -> assertThat(issuer).contains("Pebble Intermediate CA"))
                .hasEntrySatisfying("reason", reason -> assertThat(reason)
                        .startsWith("The certificate (serial " + due + ") was due for renewal"));
        assertThat(printed.get("expired.autocert4j.test")).containsEntry("outcome", "renewed")
                .containsEntry("condition", "valid")
                .hasEntrySatisfying("serial", serial -> assertThat(serial).isNotEqualTo(expired))
                .hasEntrySatisfying("reason", reason -> assertThat(reason)
                        .startsWith("The certificate (serial " + expired + ") had expired at "));
        for (String domain : printed.keySet()) {
            assertThat(storedSerial(domain)).isEqualTo(printed.get(domain).get("serial"));
            Instant notAfter = Instant.parse(printed.get(domain).get("notAfter"));
            assertThat(notAfter).as("Pebble's short-lived certificate").isBetween(Instant.now().plus(PEBBLE_VALIDITY)
                    .minus(Duration.ofHours(1)), Instant.now().plus(PEBBLE_VALIDITY));
        }
        assertThat(PEBBLE.server().issuedCount() - issuedBefore).as("each renewed once").isEqualTo(2);

        Run again = demo("--once", "--acme", PEBBLE.directoryUri().toString(), "--acme-trust",
                PEBBLE.trustFile().toString(), "--bind-address", "127.0.0.1", "--state", state.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.certificates().values()).allSatisfy(fields -> assertThat(fields)
                .containsEntry("outcome", "kept").containsEntry("condition", "valid")
                .containsEntry("serial", printed.get(fields.get("domain")).get("serial")));
        assertThat(PEBBLE.server().issuedCount() - issuedBefore).as("nothing due: nothing ordered").isEqualTo(2);
    }

    @Test
    void withABindingItsDueCertificateIsRenewed() throws Exception {
        enroll("binding.autocert4j.test");
        String due = storeCertificateOfAge("binding.autocert4j.test", Duration.ofDays(80));

        Run run = demo(withCa("--once", "--binding", binding("binding.autocert4j.test"), "--https-port", "8443",
                "--email", "admin@autocert4j.test", "--accept-tos"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.certificates().get("binding.autocert4j.test")).containsEntry("outcome", "renewed")
                .containsEntry("condition", "valid")
                .hasEntrySatisfying("serial", serial -> assertThat(serial).isNotEqualTo(due));
        assertThat(storedSerial("binding.autocert4j.test")).isNotEqualTo(due);
    }

    @Test
    void aCaFailureExitsOneKeepsTheStillValidCertificateAndTheJsonSaysWhy() throws Exception {
        enroll("due.autocert4j.test");
        enroll("expired.autocert4j.test");
        String due = storeCertificateOfAge("due.autocert4j.test", Duration.ofDays(80));
        String expired = storeCertificateOfAge("expired.autocert4j.test", Duration.ofDays(100));

        Run run;
        PEBBLE.server().stop();
        try {
            run = demo(withCa("--once"));
        } finally {
            PEBBLE.server().restart();
        }

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        Map<String, String> dueFields = run.certificates().get("due.autocert4j.test");
        assertThat(dueFields).containsEntry("outcome", "failed").containsEntry("condition", "due")
                .containsEntry("serial", due)
                .hasEntrySatisfying("reason", reason -> assertThat(reason).contains("Pebble")
                        .endsWith("stays in place."))
                .hasEntrySatisfying("lastError", error -> assertThat(dueFields.get("reason")).startsWith(error));
        assertThat(run.certificates().get("expired.autocert4j.test")).containsEntry("outcome", "failed")
                .containsEntry("condition", "expired").containsEntry("serial", expired);
        assertThat(storedSerial("due.autocert4j.test")).as("the still-valid certificate is kept").isEqualTo(due);
        assertThat(run.err().lines().filter(line -> line.startsWith("autocert4j-demo: ")).toList()).hasSize(2);

        Run status = demo("--status", "--state", state.toString(), "--binding", binding("due.autocert4j.test"));
        assertThat(JsonFields.of(status.out().strip()).get("lastError")).isEqualTo(dueFields.get("lastError"));
    }

    @Test
    void anEmptyStateFolderIsNotASuccess() throws Exception {
        Run run = demo(withCa("--once"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("autocert4j-demo: no certificate is managed in " + state.toAbsolutePath());
        assertThat(run.out()).doesNotContain("{");
    }

    @Test
    void badCombinationsExitTwoBeforeAnyNetworkCall() throws Exception {
        Run emailWithoutBinding = demo("--once", "--email", "admin@autocert4j.test", "--state", state.toString(),
                "--acme", "https://127.0.0.1:1/dir");
        assertThat(emailWithoutBinding.exitCode()).isEqualTo(2);
        assertThat(emailWithoutBinding.err()).startsWith("autocert4j-demo: --once without --binding checks every stored"
                + " certificate as it was enrolled;");

        Run bindingWithoutTos = demo("--once", "--binding", binding("tos.autocert4j.test"), "--email",
                "admin@autocert4j.test", "--state", state.toString(), "--acme", "https://127.0.0.1:1/dir");
        assertThat(bindingWithoutTos.exitCode()).isEqualTo(2);
        assertThat(bindingWithoutTos.err()).startsWith("autocert4j-demo: --once --binding needs --email and --accept-tos");
    }
}
