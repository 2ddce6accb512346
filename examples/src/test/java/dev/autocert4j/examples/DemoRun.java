package dev.autocert4j.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One run of the demo's jar as a process of its own, to its end: its exit code and what it printed.
 *
 * @param exitCode the process's exit code
 * @param out      its standard output
 * @param err      its standard error (the library's log lines)
 */
record DemoRun(int exitCode, String out, String err) {

    /** @return the fields of the status line the demo printed last */
    Map<String, String> status() {
        String[] lines = out.strip().split("\n");
        return JsonFields.of(lines[lines.length - 1]);
    }

    /**
     * Runs {@code java -jar target/autocert4j-demo.jar} with these arguments and waits (at most 90 s) for it to end.
     *
     * @param arguments    the demo's arguments
     * @param outputFolder where its output files go
     * @return how it ended
     */
    static DemoRun of(List<String> arguments, Path outputFolder) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "autocert4j-demo.jar").toString()));
        command.addAll(arguments);
        Path out = Files.createTempFile(outputFolder, "out", ".txt");
        Path err = Files.createTempFile(outputFolder, "err", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("demo finished").isTrue();
        return new DemoRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
