package dev.autocert4j.bench;

import dev.autocert4j.testkit.PebbleServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;

/**
 * Runs a Pebble for the benchmark scripts until killed: {@code PebbleMain <nonce-reject-%> <challenge-port> <env-file>}.
 * Writes {@code PEBBLE_DIRECTORY}, {@code PEBBLE_TRUST} (Pebble's TLS certificate) and
 * {@code PEBBLE_ROOT} (the issuing root, for verifying) to the env file once Pebble answers.
 */
public final class PebbleMain {

    private PebbleMain() {
    }

    /**
     * @param args nonce rejection percentage, HTTP-01 port, env file to write
     */
    public static void main(String[] args) throws IOException, CertificateEncodingException, InterruptedException {
        PebbleServer server = new PebbleServer(PebbleServer.Settings.defaults()
                .withNonceRejectPercent(Integer.parseInt(args[0]))
                .withHttpChallengePort(Integer.parseInt(args[1]))).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Path env = Path.of(args[2]);
        Path root = env.resolveSibling("pebble-root.pem");
        Files.writeString(root, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(server.rootCertificate().getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Path trust = env.resolveSibling("pebble-tls.pem");
        Files.copy(server.trustFile(), trust, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(env, "PEBBLE_DIRECTORY=" + server.directoryUri() + "\nPEBBLE_TRUST=" + trust
                + "\nPEBBLE_ROOT=" + root + "\n");
        Thread.currentThread().join();
    }
}
