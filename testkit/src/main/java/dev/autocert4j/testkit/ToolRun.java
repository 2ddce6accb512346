package dev.autocert4j.testkit;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a database's command-line tool to its end, its input on standard input (never on the command line). */
final class ToolRun {

    private static final long LONGEST_SECONDS = 90;

    private ToolRun() {
    }

    /**
     * @param tool    the tool's name, for messages
     * @param command the command line
     * @param folder  where it runs
     * @param input   what it reads on standard input ("" for nothing)
     * @throws IllegalStateException with the tool's output if it fails or takes longer than 90 s
     */
    static void run(String tool, List<String> command, Path folder, String input) {
        try {
            Path output = Files.createTempFile("autocert4j-" + tool + "-", ".out");
            try {
                Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                try (Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                    in.write(input);
                }
                if (!process.waitFor(LONGEST_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(tool + " did not finish within " + LONGEST_SECONDS + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(tool + " failed (exit " + process.exitValue() + "): "
                            + Files.readString(output, StandardCharsets.UTF_8).strip());
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + tool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + tool, e);
        }
    }
}
