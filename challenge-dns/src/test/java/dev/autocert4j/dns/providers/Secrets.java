package dev.autocert4j.dns.providers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Test helpers for credentials: files written as an admin would, and the log read back. */
final class Secrets {

    private Secrets() {
    }

    /** Writes a secret to a file that only its owner may read, as the providers require. */
    static Path ownerOnlyFile(Path folder, String name, String secret) throws IOException {
        Path file = Files.createFile(folder.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, secret + "\n");
    }

    /** Something that may throw, run while the log (slf4j-simple writes to standard error) is captured. */
    interface Action {
        void run() throws Exception;
    }

    /**
     * Runs an action and returns what was logged meanwhile; the action's own failure is logged too, as
     * a host would log it.
     */
    static String logOf(Action action) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream standardError = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            System.setErr(standardError);
        }
        return log.toString(StandardCharsets.UTF_8);
    }
}
