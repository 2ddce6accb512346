package dev.autocert4j.examples;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher (examples/autocert4j-demo) starts one-shot commands with the JVM options that start
 * fast, in their command form and their flat form alike, and the portal with the JVM's defaults.
 * A stand-in java prints what it was given.
 */
class LauncherOptionsTest {

    private static final String ONE_SHOT = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC ";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "once --state s                 | true",
            "--once --state s               | true",
            "status --binding http://a.test | true",
            "--state s --status             | true",
            "revoke --binding http://a.test | true",
            "rollover-account-key           | true",
            "unmanage --binding http://a.test | true",
            "once --help                    | true",
            "--version                      | true",
            "run --listen http://a.test     | false",
            "--listen http://a.test         | false",
            "--acme-name once --listen http://a.test | false"})
    void oneShotCommandsGetTheFastStartingJvmOptions(String commandLine, boolean oneShot, @TempDir Path folder)
            throws Exception {
        Path java = Files.writeString(folder.resolve("java"), "#!/bin/sh\necho \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        List<String> command = new ArrayList<>(List.of("sh", Path.of("autocert4j-demo").toAbsolutePath().toString()));
        command.addAll(List.of(commandLine.split(" ")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(folder.resolve("out").toFile())
                .redirectError(folder.resolve("err").toFile());
        builder.environment().put("JAVA", java.toString());
        builder.environment().put("AUTOCERT4J_CDS", "off");
        builder.environment().put("AUTOCERT4J_DEMO_JAR", java.toString());
        builder.environment().remove("JAVA_OPTS");
        Process launcher = builder.start();
        assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(launcher.exitValue()).as(Files.readString(folder.resolve("err"))).isZero();
        assertThat(Files.readString(folder.resolve("out")).strip())
                .isEqualTo((oneShot ? ONE_SHOT : "") + "-jar " + java + " " + commandLine);
    }
}
