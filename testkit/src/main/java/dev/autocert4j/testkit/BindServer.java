package dev.autocert4j.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway BIND 9 server for DNS-01 tests: one primary zone that takes dynamic updates signed
 * with a TSIG key (RFC 2136), on a free loopback port, in a temporary folder, gone when closed. The
 * zone's apex and {@code ns} have the address 127.0.0.1, so Pebble, told to ask this server, finds
 * the TXT records a test puts there. Uses Debian's {@code bind9} package ({@code named}).
 *
 * @since 0.2.0
 */
public final class BindServer implements AutoCloseable {

    /** The TSIG key's name. */
    public static final String KEY_NAME = "autocert4j-update";
    /** The TSIG algorithm. */
    public static final String ALGORITHM = "hmac-sha256";

    private final Path folder;
    private final String zone;
    private final int port;
    private final String secret;
    private final Process process;

    private BindServer(Path folder, String zone, int port, String secret, Process process) {
        this.folder = folder;
        this.zone = zone;
        this.port = port;
        this.secret = secret;
        this.process = process;
    }

    /**
     * Starts BIND with a zone.
     *
     * @param zone the zone, such as {@code example.test}
     * @return the running server
     * @throws IllegalStateException if BIND is not installed or does not start
     */
    public static BindServer start(String zone) {
        return start(zone, Ports.free());
    }

    /**
     * Starts BIND with a zone on a chosen port (so that a Pebble set up before it can be told where it is).
     *
     * @param zone the zone
     * @param port the loopback port
     * @return the running server
     */
    public static BindServer start(String zone, int port) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = Base64.getEncoder().encodeToString(key);
        try {
            Path folder = Files.createTempDirectory("autocert4j-bind-");
            Files.writeString(folder.resolve("named.conf"), String.join("\n",
                    "options {",
                    "  directory \"" + folder + "\";",
                    "  pid-file \"" + folder.resolve("named.pid") + "\";",
                    "  listen-on port " + port + " { 127.0.0.1; };",
                    "  listen-on-v6 { none; };",
                    "  recursion no;",
                    "  allow-query { any; };",
                    "  dnssec-validation no;",
                    "};",
                    "key \"" + KEY_NAME + "\" { algorithm " + ALGORITHM + "; secret \"" + secret + "\"; };",
                    "zone \"" + zone + "\" { type primary; file \"" + folder.resolve(zone + ".zone") + "\";"
                            + " allow-update { key \"" + KEY_NAME + "\"; }; };",
                    ""));
            Files.writeString(folder.resolve(zone + ".zone"), String.join("\n",
                    "$TTL 60",
                    "@ IN SOA ns." + zone + ". admin." + zone + ". ( 1 60 60 600 60 )",
                    "@ IN NS ns." + zone + ".",
                    "ns IN A 127.0.0.1",
                    "@ IN A 127.0.0.1",
                    "* IN A 127.0.0.1",
                    ""));
            Process process = new ProcessBuilder("named", "-g", "-c", folder.resolve("named.conf").toString())
                    .redirectErrorStream(true).redirectOutput(folder.resolve("named.log").toFile()).start();
            BindServer server = new BindServer(folder, zone, port, secret, process);
            server.awaitRunning();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start BIND (apt-get install -y bind9): " + e.getMessage(), e);
        }
    }

    /** @return where it listens: 127.0.0.1 and its port */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** @return the zone it serves */
    public String zone() {
        return zone;
    }

    /** @return the TSIG secret (base64) that signs updates */
    public String secret() {
        return secret;
    }

    /**
     * Writes the TSIG key in BIND's key-file format, as {@code tsig-keygen} does.
     *
     * @param file where to write it
     * @return the file
     */
    public Path writeKeyFile(Path file) throws IOException {
        return Files.writeString(file, "key \"" + KEY_NAME + "\" {\n\talgorithm " + ALGORITHM + ";\n\tsecret \""
                + secret + "\";\n};\n");
    }

    /** @return what BIND printed */
    public String log() {
        try {
            return Files.readString(folder.resolve("named.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void awaitRunning() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("BIND exited: " + log());
            }
            if (log().contains("running") && listens() && takesUpdates()) {
                return;
            }
            try {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
        }
        throw new IllegalStateException("BIND did not start within 20 s: " + log());
    }

    private boolean listens() {
        try (Socket socket = new Socket()) {
            socket.connect(address(), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether it takes signed updates yet: for a moment after it says "running", BIND answers every
     * update with SERVFAIL and logs nothing. Asks with an update that holds only a prerequisite, so
     * it changes nothing, through {@code nsupdate} (Debian's {@code bind9-dnsutils}) with the key in
     * an owner-only file, never on its command line.
     */
    private boolean takesUpdates() {
        try {
            Path keyFile = folder.resolve("update.key");
            if (!Files.exists(keyFile)) {
                Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                writeKeyFile(keyFile);
            }
            Process nsupdate = new ProcessBuilder("nsupdate", "-v", "-k", keyFile.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (var input = nsupdate.getOutputStream()) {
                input.write(("server 127.0.0.1 " + port + "\nzone " + zone + ".\nprereq yxdomain " + zone + ".\nsend\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            return nsupdate.waitFor(10, TimeUnit.SECONDS) && nsupdate.exitValue() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot ask BIND whether it takes updates (apt-get install -y"
                    + " bind9-dnsutils for nsupdate): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** Stops BIND and deletes its folder. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // the system cleans temporary folders
        }
    }
}
