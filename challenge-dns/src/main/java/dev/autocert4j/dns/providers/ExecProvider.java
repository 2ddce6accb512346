package dev.autocert4j.dns.providers;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Puts TXT records in place by running a program the admin wrote, called as lego's {@code exec}
 * provider calls it, so that scripts written for lego work unchanged:
 * {@code program present _acme-challenge.example.com. VALUE} and
 * {@code program cleanup _acme-challenge.example.com. VALUE}. The arguments go to the program as an
 * argument array, never through a shell; it inherits this process's environment; it must end with
 * exit status 0 within the timeout, or its standard error is reported.
 */
final class ExecProvider implements DnsProvider {

    private static final int MAX_ERROR_CHARACTERS = 2_000;

    private final Path program;
    private final Duration timeout;

    /**
     * @param program the program, already checked by {@link ExecProviderFactory}
     * @param timeout how long one call may take
     */
    ExecProvider(Path program, Duration timeout) {
        this.program = Objects.requireNonNull(program, "program");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public void addTxtRecord(String zone, String name, String value) {
        run("present", RecordInput.recordName(zone, name), RecordInput.txtValue(value));
    }

    @Override
    public void removeTxtRecord(String zone, String name, String value) {
        run("cleanup", RecordInput.recordName(zone, name), RecordInput.txtValue(value));
    }

    private void run(String action, String name, String value) {
        String call = "'" + program + " " + action + " " + name + ".'";
        Path errors = null;
        Process process = null;
        try {
            errors = Files.createTempFile("autocert4j-exec-", ".err", OwnerOnlyFiles.ownerOnlyFile(
                    Path.of(System.getProperty("java.io.tmpdir"))));
            process = new ProcessBuilder(List.of(program.toString(), action, name + ".", value))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile())
                    .start();
            process.getOutputStream().close(); // nothing to read: a program that waits for input ends at once
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                throw new AutoCertException("The DNS program " + call + " did not finish within " + timeout.toSeconds()
                        + " s and was stopped" + stderr(errors));
            }
            if (process.exitValue() != 0) {
                throw new AutoCertException("The DNS program " + call + " failed with exit status " + process.exitValue()
                        + stderr(errors));
            }
        } catch (IOException e) {
            throw new AutoCertException("The DNS program " + call + " could not be run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            throw new AutoCertException("Interrupted while the DNS program " + call + " ran", e);
        } finally {
            deleteQuietly(errors);
        }
    }

    private static void stop(Process process) {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** The end of what the program wrote to its standard error, where the reason usually is. */
    private static String stderr(Path errors) throws IOException {
        String text;
        try (FileChannel channel = FileChannel.open(errors, StandardOpenOption.READ)) {
            ByteBuffer tail = ByteBuffer.allocate((int) Math.min(channel.size(), 4L * MAX_ERROR_CHARACTERS));
            channel.read(tail, channel.size() - tail.capacity()); // only the end: a program may write a lot
            text = new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8).strip();
        }
        if (text.isEmpty()) {
            return " (it wrote nothing to its standard error)";
        }
        if (text.length() > MAX_ERROR_CHARACTERS) {
            text = "..." + text.substring(text.length() - MAX_ERROR_CHARACTERS);
        }
        return "; its standard error: " + text;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file, 0600; the system cleans its temporary folder
            }
        }
    }

    @Override
    public String toString() {
        return "ExecProvider[" + program + "]";
    }
}
