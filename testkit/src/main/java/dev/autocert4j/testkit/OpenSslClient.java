package dev.autocert4j.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Drives OpenSSL's {@code s_client} (Debian's {@code openssl}) against a TLS port, as scanners
 * such as testssl.sh do, to see a server through another TLS stack than the JDK's.
 */
public final class OpenSslClient {

    private static final Duration LONGEST_RUN = Duration.ofSeconds(30);

    /** How one {@code s_client} run ended: its exit code and what it printed. */
    public record Outcome(int exitCode, String output) {

        /** @return whether the server ended the connection with a TLS close_notify, an orderly close */
        public boolean closedInOrder() {
            return output.lines().anyMatch("closed"::equals);
        }
    }

    private OpenSslClient() {
    }

    /**
     * Connects with TLS 1.2, asks for a client-initiated renegotiation ({@code R} on s_client's
     * input, which stays open) and waits until the server ends the connection.
     *
     * @param server the TLS port
     * @return how s_client ended
     * @throws IOException    if openssl cannot run
     * @throws AssertionError if the server keeps the connection open for 30 seconds
     */
    public static Outcome renegotiate(InetSocketAddress server) throws IOException, InterruptedException {
        Path output = Files.createTempFile("s_client", ".txt");
        Process process = new ProcessBuilder("openssl", "s_client", "-no_tls1_3", "-connect",
                server.getHostString() + ":" + server.getPort())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try (OutputStream input = process.getOutputStream()) {
            input.write("R\n".getBytes(StandardCharsets.US_ASCII));
            input.flush(); // and left open: s_client would quit at its end of input
            boolean finished = process.waitFor(LONGEST_RUN.toSeconds(), TimeUnit.SECONDS);
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (!finished) {
                throw new AssertionError("the server kept the connection open after a renegotiation request: " + printed);
            }
            return new Outcome(process.exitValue(), printed);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }
}
