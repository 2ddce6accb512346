package dev.autocert4j.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo jar running as a portal in a process of its own, its output in a log file, for the ITs. */
final class DemoProcess implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;

    private DemoProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * @param folder where the log goes
     * @param args   the demo's options
     * @return the running demo
     */
    static DemoProcess start(Path folder, String... args) throws IOException {
        return start(folder.resolve("portal.log"), List.of(args));
    }

    /**
     * @param log  where its output goes
     * @param args the demo's options
     * @return the running demo
     */
    static DemoProcess start(Path log, List<String> args) throws IOException {
        return start(log, List.of(), args);
    }

    /**
     * @param log        where its output goes
     * @param jvmOptions the JVM's options, before {@code -jar}
     * @param args       the demo's options
     * @return the running demo
     */
    static DemoProcess start(Path log, List<String> jvmOptions, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", Path.of("target", "autocert4j-demo.jar").toString()));
        command.addAll(args);
        return new DemoProcess(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    /** Kills the process at once, as {@code kill -9} does: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Waits for a one-shot command to end.
     *
     * @return its exit code
     */
    int awaitExit(Duration patience) throws InterruptedException {
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the demo did not finish within " + patience + ": " + log());
        }
        return process.exitValue();
    }

    /** Waits until the demo accepts connections on a loopback port; fails with its log if it exits first. */
    void awaitPort(int port) throws InterruptedException {
        awaitPort(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Waits until the demo accepts connections at an address; fails with its log if it exits first. */
    void awaitPort(InetSocketAddress address) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as(() -> "the demo exited: " + log()).isTrue();
            try (Socket socket = new Socket()) {
                socket.connect(address, 200);
                return;
            } catch (IOException e) {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError("the demo did not open " + address + ": " + log());
    }

    /** Waits until the demo has printed a text; fails with its log if it does not within the patience. */
    void awaitLog(String text, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the demo did not print '" + text + "' within " + patience + ": " + log());
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

    /** Pauses the caller on the demo process's own pace, as a polling browser would. */
    void pause(Duration duration) throws InterruptedException {
        process.waitFor(duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return what the demo printed so far */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

}
