package dev.autocert4j.examples;

import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The runnable demo jar, run as a separate process the way a script would, against Pebble. */
class DemoCliIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static final Path JAR = Path.of("target", "autocert4j-demo.jar");

    @TempDir
    Path state;

    private record Run(int exitCode, String out, String err) {
    }

    private Run demo(String... args) throws Exception {
        return demo(List.of(), args);
    }

    private Run demo(List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = state.resolveSibling(state.getFileName() + "-out.txt");
        Path err = state.resolveSibling(state.getFileName() + "-err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("demo finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private String[] once(String binding) {
        return new String[]{"--once", "--acme", PEBBLE.directoryUri().toString(),
                "--acme-trust", PEBBLE.trustFile().toString(), "--acme-name", "Pebble",
                "--listen", binding, "--bind-address", "127.0.0.1", "--binding", binding, "--https-port", "8443",
                "--email", "admin@autocert4j.test", "--accept-tos", "--state", state.toString()};
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void obtainsThenReportsWithoutNetworkThenRenewsNothing() throws Exception {
        String binding = "http://cli.autocert4j.test:" + PEBBLE.httpChallengePort();

        Run first = demo(once(binding));
        assertThat(first.exitCode()).as(first.err()).isZero();
        Map<String, String> obtained = JsonFields.of(lastLine(first.out()));
        assertThat(obtained.get("domain")).isEqualTo("cli.autocert4j.test");
        assertThat(obtained.get("serial")).isNotBlank();
        assertThat(obtained.get("issuer")).contains("Pebble Intermediate CA");
        assertThat(obtained.get("lastError")).isNull();
        assertThat(obtained).containsKeys("lastRenewed", "notBefore", "notAfter", "nextCheck");

        Run status = demo("--status", "--acme", "https://127.0.0.1:1/dir", "--state", state.toString());
        assertThat(status.exitCode()).as(status.err()).isZero();
        Map<String, String> reported = JsonFields.of(lastLine(status.out()));
        assertThat(reported.get("serial")).isEqualTo(obtained.get("serial"));
        assertThat(reported.get("notAfter")).isEqualTo(obtained.get("notAfter"));
        assertThat(reported.get("nextCheck")).isEqualTo(obtained.get("nextCheck"));

        Run second = demo(once(binding));
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(JsonFields.of(lastLine(second.out())).get("serial")).isEqualTo(obtained.get("serial"));
        assertThat(second.err()).doesNotContain("Ordering a certificate");
    }

    @Test
    void theCommandFormsRunAsTheFlatOnesDoAndEachCommandHasItsOwnHelp() throws Exception {
        String binding = "http://commands.autocert4j.test:" + PEBBLE.httpChallengePort();
        List<String> onceArgs = new ArrayList<>(List.of(once(binding)));
        onceArgs.set(onceArgs.indexOf("--once"), "once");

        Run first = demo(onceArgs.toArray(new String[0]));
        assertThat(first.exitCode()).as(first.err()).isZero();
        Map<String, String> obtained = JsonFields.of(lastLine(first.out()));
        assertThat(obtained).containsEntry("domain", "commands.autocert4j.test").containsEntry("outcome", "obtained");
        Run status = demo("status", "--state", state.toString());
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(JsonFields.of(lastLine(status.out()))).containsEntry("serial", obtained.get("serial"));

        Run help = demo("once", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: autocert4j-demo once [OPTIONS]").contains("--renew-within")
                .doesNotContain("--admin-port", "--force-https", "--reason");
        Run version = demo("--version");
        assertThat(version.out().strip()).matches("autocert4j-demo \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        Run unknown = demo("status", "--frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err().strip().lines().toList()).containsExactly("autocert4j-demo: unknown option '--frobnicate'",
                "Try 'java -jar autocert4j-demo.jar status --help' for the options.");
    }

    @Test
    void aChallengeTheCaCannotReachExitsOneWithThePlainMessage() throws Exception {
        int unusedPort = dev.autocert4j.testkit.Ports.free();

        Run run = demo(once("http://unreachable.autocert4j.test:" + unusedPort));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines().filter(l -> l.startsWith("autocert4j-demo: ")).toList())
                .singleElement().asString()
                .startsWith("autocert4j-demo: The Pebble HTTP challenge failed with status 'invalid'.")
                .contains("http://unreachable.autocert4j.test/.well-known/acme-challenge/");
        assertThat(run.err().lines().filter(l -> l.contains("HTTP challenge failed with status 'invalid'")).toList())
                .as("logged once by the library (WARN), reported once by the command line").hasSize(2)
                .anyMatch(l -> l.contains(" WARN "));
        assertThat(run.err()).contains("The CA validates unreachable.autocert4j.test over HTTP-01 on port 80, but the"
                + " binding http://unreachable.autocert4j.test:" + unusedPort + " listens on port " + unusedPort);
        Run status = demo("--status", "--state", state.toString(), "--binding", "http://unreachable.autocert4j.test:" + unusedPort);
        assertThat(JsonFields.of(lastLine(status.out())).get("lastError"))
                .startsWith("The Pebble HTTP challenge failed with status 'invalid'");
    }

    @Test
    void noSecretAppearsInTheLogsOfAFullEnrollmentAtDebugLevel() throws Exception {
        String binding = "http://secrets.autocert4j.test:" + PEBBLE.httpChallengePort();

        Run run = demo(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"), once(binding));

        assertThat(run.exitCode()).as(run.err()).isZero();
        String logs = run.out() + run.err();
        assertThat(logs).as("debug logging was on").contains("DEBUG org.shredzone.acme4j");
        String password = Files.readString(state.resolve("keystore.password")).strip();
        Pkcs12CertificateStore store = new Pkcs12CertificateStore(state.resolve("store"), password.toCharArray());
        byte[] certificateKey = store.loadCertificate("secrets.autocert4j.test").orElseThrow().privateKey().getEncoded();
        byte[] accountKey = store.loadAccount(PEBBLE.directoryUri()).orElseThrow().keyPair().getPrivate().getEncoded();
        assertThat(logs).doesNotContain(password);
        for (byte[] secret : List.of(certificateKey, accountKey)) {
            assertThat(logs).doesNotContain(Base64.getEncoder().encodeToString(secret))
                    .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
                    .doesNotContain(HexFormat.of().formatHex(secret));
        }
        assertThat(logs).doesNotContainPattern("\\b[dD]\"\\s*:\\s*\"");
    }

    @Test
    void badOptionsExitTwoWithTheErrorAndAPointerToHelp() throws Exception {
        Run run = demo("--once", "--https-port", "70000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip().lines().toList()).containsExactly(
                "autocert4j-demo: --https-port '70000' must be a port between 1 and 65535",
                "Try 'java -jar autocert4j-demo.jar --help' for the options.");
    }

    @Test
    void aDatabasePasswordOnTheCommandLineExitsTwoSayingWhereItGoesAndIsNeverPrinted() throws Exception {
        Run run = demo("--status", "--store", "jdbc:postgresql://127.0.0.1:1/portal?user=portal&password=s3cr3t-pw",
                "--store-key-file", state.resolve("store.key").toString(), "--state", state.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("autocert4j-demo: --store: the URL holds a password")
                .contains("--store-password-file F").contains("AUTOCERT4J_STORE_PASSWORD");
        assertThat(run.out() + run.err()).doesNotContain("s3cr3t-pw");
        assertThat(state.resolve("store.key")).as("refused before anything is made").doesNotExist();
    }

    private String[] withCa(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--acme", PEBBLE.directoryUri().toString(), "--acme-trust", PEBBLE.trustFile().toString(),
                "--acme-name", "Pebble", "--state", state.toString()));
        return all.toArray(new String[0]);
    }

    @Test
    void revokesRollsTheAccountKeyOverChangesTheEmailAndStopsManaging() throws Exception {
        String binding = "http://account.autocert4j.test:" + PEBBLE.httpChallengePort();
        Run first = demo(once(binding));
        assertThat(first.exitCode()).as(first.err()).isZero();
        String firstSerial = JsonFields.of(lastLine(first.out())).get("serial");

        Run revoked = demo(withCa("--revoke", "--reason", "key-compromise", "--listen", binding, "--binding", binding,
                "--bind-address", "127.0.0.1"));
        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        String secondSerial = JsonFields.of(lastLine(revoked.out())).get("serial");
        assertThat(secondSerial).isNotEqualTo(firstSerial);
        assertThat(PEBBLE.server().certificateStatus(new java.math.BigInteger(firstSerial, 16))).isEqualTo("Revoked");

        Pkcs12CertificateStore store = new Pkcs12CertificateStore(state.resolve("store"),
                Files.readString(state.resolve("keystore.password")).strip().toCharArray());
        var before = store.loadAccount(PEBBLE.directoryUri()).orElseThrow();
        Run rolled = demo(withCa("--rollover-account-key"));
        assertThat(rolled.exitCode()).as(rolled.err()).isZero();
        var after = store.loadAccount(PEBBLE.directoryUri()).orElseThrow();
        assertThat(JsonFields.of(lastLine(rolled.out())).get("account")).isEqualTo(before.location().toString());
        assertThat(after.location()).isEqualTo(before.location());
        assertThat(after.keyPair().getPublic()).isNotEqualTo(before.keyPair().getPublic());

        String[] newEmail = once(binding);
        newEmail[java.util.Arrays.asList(newEmail).indexOf("admin@autocert4j.test")] = "security@autocert4j.test";
        Run changed = demo(newEmail);
        assertThat(changed.exitCode()).as(changed.err()).isZero();
        assertThat(changed.err()).contains("is now security@autocert4j.test");
        assertThat(store.loadAccount(PEBBLE.directoryUri()).orElseThrow().contacts()).as("the account holds the email")
                .containsExactly("security@autocert4j.test");
        assertThat(store.loadEnrollments().get("account.autocert4j.test")).as("not every enrollment").doesNotContainKey("email");

        Run unmanaged = demo(withCa("--unmanage", "--binding", binding));
        assertThat(unmanaged.exitCode()).as(unmanaged.err()).isZero();
        assertThat(store.loadEnrollments()).doesNotContainKey("account.autocert4j.test");
        assertThat(store.loadMetadata("account.autocert4j.test")).as("the certificate stays").isPresent();
    }

    @Test
    void theLauncherRecordsAClassArchiveOnTheFirstRunAndMapsItFromThen(@TempDir Path cache) throws Exception {
        String binding = "http://launcher.autocert4j.test:" + PEBBLE.httpChallengePort();
        Path classLog = cache.resolve("classes.log");

        Run first = launcher(cache, List.of(), once(binding));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(JsonFields.of(lastLine(first.out())).get("serial")).isNotBlank();
        List<Path> archives;
        try (var files = Files.list(cache.resolve("autocert4j"))) {
            archives = files.toList();
        }
        assertThat(archives).singleElement().satisfies(archive -> assertThat(archive.toString()).endsWith(".jsa"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.resolve("autocert4j"))))
                .as("the archive's folder").isEqualTo("rwx------");

        Run second = launcher(cache, List.of("-Xlog:class+load=info:file=" + classLog), once(binding));
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).as("no archive warnings").doesNotContain("[cds]");
        assertThat(Files.readAllLines(classLog)).as("the demo's own classes come from the recorded archive")
                .anySatisfy(line -> assertThat(line).contains("dev.autocert4j.examples.DemoMain")
                        .contains("shared objects file (top)"));
    }

    @Test
    void theLauncherMakesItsArchiveFolderOwnerOnlyInTheCallThatCreatesIt(@TempDir Path home) throws Exception {
        Path trace = home.resolve("launcher.strace");
        String binding = "http://traced.autocert4j.test:" + PEBBLE.httpChallengePort();
        assertThat(demo(once(binding)).exitCode()).isZero();

        Run run = launcher(home, List.of(), Map.of("HOME", home.toString()), List.of("strace", "-f", "-o", trace.toString(),
                "-e", "trace=mkdir,mkdirat,chmod,fchmod,fchmodat"), "--status", "--state", state.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path folder = home.resolve(".cache").resolve("autocert4j");
        List<String> calls = Files.readAllLines(trace);
        assertThat(calls).as("created with mode 0700 in the mkdir call itself")
                .anyMatch(call -> call.matches(".*mkdir(at)?\\(.*\"[^\"]*autocert4j\", 0700\\)\\s+= 0"))
                .noneMatch(call -> call.contains("chmod") && (call.contains("autocert4j\"") || call.contains(".cache")));
        for (Path created : List.of(home.resolve(".cache"), folder)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created))).as(created.toString())
                    .isEqualTo("rwx------");
        }
        try (var files = Files.list(folder)) {
            assertThat(files.toList()).singleElement().satisfies(a -> assertThat(a.toString()).endsWith(".jsa"));
        }
    }

    @Test
    void theLauncherNeitherReadsNorWritesAnArchiveWhereOthersCouldChangeIt(@TempDir Path cache) throws Exception {
        String binding = "http://shared.autocert4j.test:" + PEBBLE.httpChallengePort();
        assertThat(demo(once(binding)).exitCode()).isZero();
        Path folder = Files.createDirectory(cache.resolve("autocert4j"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));

        Run shared = launcher(cache, List.of(), "--status", "--state", state.toString());

        assertThat(shared.exitCode()).as(shared.err()).isZero();
        assertThat(shared.err()).contains("autocert4j-demo: not using a class-data archive: " + folder
                + " must be a folder of your own that no one else can change");
        try (var files = Files.list(folder)) {
            assertThat(files.toList()).as("nothing written to the shared folder").isEmpty();
        }

        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        assertThat(launcher(cache, List.of(), "--status", "--state", state.toString()).exitCode()).isZero();
        Path archive;
        try (var files = Files.list(folder)) {
            archive = files.filter(f -> f.toString().endsWith(".jsa")).findFirst().orElseThrow();
        }
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path classLog = cache.resolve("classes.log");
        Run planted = launcher(cache, List.of("-Xlog:class+load=info:file=" + classLog), "--status", "--state", state.toString());
        assertThat(planted.exitCode()).as(planted.err()).isZero();
        assertThat(planted.err()).contains("not using the class-data archive " + archive + ": others could have changed it");
        assertThat(Files.readString(classLog)).as("the dynamic archive is not mapped")
                .contains("dev.autocert4j.examples.DemoMain").doesNotContain("shared objects file (top)");
    }

    @Test
    void withoutAHomeTheLauncherRunsWithoutAnArchiveRatherThanInTmp(@TempDir Path scratch) throws Exception {
        String binding = "http://homeless.autocert4j.test:" + PEBBLE.httpChallengePort();
        assertThat(demo(once(binding)).exitCode()).isZero();
        Path sharedFallback = Path.of("/tmp/.cache/autocert4j");
        List<Path> before = Files.isDirectory(sharedFallback) ? Files.list(sharedFallback).toList() : List.of();
        Map<String, String> noHome = new java.util.HashMap<>();
        noHome.put("HOME", null);
        noHome.put("XDG_CACHE_HOME", null);

        Run run = launcher(scratch, List.of(), noHome, List.of(), "--status", "--state", state.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("neither XDG_CACHE_HOME nor HOME is set: running without a class-data archive");
        List<Path> after = Files.isDirectory(sharedFallback) ? Files.list(sharedFallback).toList() : List.of();
        assertThat(after).isEqualTo(before);
    }

    /** Runs examples/autocert4j-demo with its archive cache in {@code cache}. */
    private Run launcher(Path cache, List<String> javaOptions, String... args) throws Exception {
        return launcher(cache, javaOptions, Map.of("XDG_CACHE_HOME", cache.toString()), List.of(), args);
    }

    /**
     * Runs examples/autocert4j-demo, its output in {@code folder}, with these environment variables
     * set (a null value removes one), under a wrapper command such as strace if one is given.
     */
    private Run launcher(Path folder, List<String> javaOptions, Map<String, String> environment, List<String> wrapper,
                         String... args) throws Exception {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of("sh", Path.of("autocert4j-demo").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = folder.resolve("out.txt");
        Path err = folder.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("XDG_CACHE_HOME");
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("AUTOCERT4J_DEMO_JAR", JAR.toAbsolutePath().toString());
        builder.environment().put("JAVA_OPTS", String.join(" ", javaOptions));
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("demo finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
