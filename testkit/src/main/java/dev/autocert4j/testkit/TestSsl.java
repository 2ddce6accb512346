package dev.autocert4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs testssl.sh ({@code /usr/bin/testssl}, Debian's {@code testssl.sh} package) against a TLS
 * port on this machine, offline: the checks of protocols, each cipher per protocol, forward
 * secrecy, renegotiation, compression (CRIME) and LUCKY13. A missing testssl fails the
 * caller: it is never skipped. One scan takes 20 to 80 seconds, most of it testssl's own start.
 */
public final class TestSsl {

    /** Where Debian installs it. */
    public static final Path EXECUTABLE = Path.of("/usr/bin/testssl");

    private static final Duration LONGEST_SCAN = Duration.ofMinutes(5);
    private static final Set<String> SEVERE = Set.of("MEDIUM", "HIGH", "CRITICAL", "WARN", "FATAL");
    private static final Pattern FIELD = Pattern.compile("\"(id|severity|finding)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One line of testssl's findings. */
    public record Finding(String id, String severity, String finding) {
        @Override
        public String toString() {
            return severity + " " + id + ": " + finding;
        }
    }

    private TestSsl() {
    }

    /**
     * Scans a port of 127.0.0.1.
     *
     * @param port   the TLS port
     * @param folder where its JSON output goes
     * @return every finding
     * @throws IOException if it cannot run
     * @throws AssertionError if testssl is not installed or its scan failed
     */
    public static List<Finding> scan(int port, Path folder) throws IOException, InterruptedException {
        assertThat(Files.isExecutable(EXECUTABLE)).as("testssl.sh must be installed (apt-get install testssl.sh): "
                + EXECUTABLE).isTrue();
        Path json = folder.resolve("testssl-" + port + ".json");
        Path output = folder.resolve("testssl-" + port + ".txt");
        Process process = new ProcessBuilder(EXECUTABLE.toString(), "--quiet", "--color", "0", "--warnings", "off",
                "--sneaky", "--fast", "--nodns", "min", "--ip", "127.0.0.1",
                "-p", "-E", "-f", "-R", "-C", "-L",
                "--jsonfile", json.toString(), "127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(LONGEST_SCAN.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("testssl did not finish within " + LONGEST_SCAN + "; its output is in " + output);
        }
        assertThat(json).as("testssl's JSON findings (output in %s)", output).exists();
        return parse(Files.readString(json, StandardCharsets.UTF_8));
    }

    /**
     * @return {@code target/testssl} of the module under test, created if needed: the scans' output stays
     *         there for reading after the build
     * @throws IOException if it cannot be created
     */
    public static Path reportFolder() throws IOException {
        return Files.createDirectories(Path.of("target", "testssl"));
    }

    static List<Finding> parse(String json) {
        List<Finding> findings = new ArrayList<>();
        for (String object : json.split("\\}")) {
            Map<String, String> fields = new HashMap<>();
            Matcher matcher = FIELD.matcher(object);
            while (matcher.find()) {
                fields.put(matcher.group(1), matcher.group(2));
            }
            if (fields.size() == 3) {
                findings.add(new Finding(fields.get("id"), fields.get("severity").toUpperCase(Locale.ROOT), fields.get("finding")));
            }
        }
        return findings;
    }

    /**
     * Asserts what autocert4j's TLS policy promises: no finding of severity MEDIUM or higher (nor a
     * scan warning), TLS 1.0 and 1.1 not offered, TLS 1.2 or 1.3 offered, every cipher offered an
     * AEAD one with forward secrecy, client-initiated renegotiation and compression refused.
     *
     * @param findings what {@link #scan} found
     */
    public static void assertStrong(List<Finding> findings) {
        assertThat(findings).as("testssl's findings").isNotEmpty();
        assertThat(findings).as("findings of severity MEDIUM or higher")
                .filteredOn(f -> SEVERE.contains(f.severity())).isEmpty();
        assertThat(finding(findings, "TLS1").finding()).startsWith("not offered");
        assertThat(finding(findings, "TLS1_1").finding()).startsWith("not offered");
        assertThat(findings).as("TLS 1.2 or 1.3 offered")
                .anyMatch(f -> f.id().matches("TLS1_[23]") && f.finding().startsWith("offered"));
        List<Finding> ciphers = findings.stream().filter(f -> f.id().startsWith("cipher-")).toList();
        assertThat(ciphers).as("the cipher suites offered").isNotEmpty()
                .allMatch(f -> f.finding().matches(".*\\b(TLS_AES_\\d+_GCM_SHA\\d+|TLS_CHACHA20_POLY1305_SHA256"
                        + "|TLS_ECDHE_(RSA|ECDSA)_WITH_(AES_\\d+_GCM_SHA\\d+|CHACHA20_POLY1305_SHA256))\\b.*"), "AEAD");
        assertThat(finding(findings, "secure_client_renego").severity()).isEqualTo("OK");
        assertThat(finding(findings, "CRIME_TLS").severity()).isEqualTo("OK");
        assertThat(finding(findings, "LUCKY13").severity()).isEqualTo("OK");
    }

    private static Finding finding(List<Finding> findings, String id) {
        return findings.stream().filter(f -> f.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("testssl reported nothing for " + id + ": " + findings));
    }
}
