package dev.autocert4j.examples;

import picocli.AutoComplete;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the demo's bash completion script, made by picocli from its commands and options; the
 * build runs it. {@code source} the script, and the {@code autocert4j-demo} launcher completes
 * commands and options.
 */
public final class CompletionScript {

    private CompletionScript() {
    }

    /**
     * Writes the script.
     *
     * @param args the file to write
     * @throws IOException if it cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CompletionScript FILE");
        }
        Path file = Path.of(args[0]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, script(), StandardCharsets.UTF_8);
    }

    /** @return the bash completion script for the demo's commands and options */
    static String script() {
        return AutoComplete.bash(DemoCommandLine.NAME, DemoCommandLine.create());
    }
}
