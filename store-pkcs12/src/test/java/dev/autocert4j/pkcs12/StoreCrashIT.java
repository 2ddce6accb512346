package dev.autocert4j.pkcs12;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.IssuedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a JVM with SIGKILL at random moments while it saves, many times, and checks that the store
 * always loads a whole certificate (key matching certificate, metadata matching both), and that two
 * processes saving at once into one folder leave it consistent.
 */
class StoreCrashIT {

    private static final String PASSWORD = "crash-test-password";
    private static final String DOMAIN = "crash.example.com";
    /** CI runs 20; {@code bench/store-crash.sh} runs 200 ({@code -Dcrash.rounds=200}). */
    private static final int ROUNDS = Integer.getInteger("crash.rounds", 20);

    @TempDir
    Path folder;

    private Process saveLoop(int count) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SaveLoop.class.getName(),
                folder.resolve("store").toString(), PASSWORD, DOMAIN, String.valueOf(count))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    @Test
    void aStoreKilledMidSaveAlwaysLoadsAWholeCertificate() throws Exception {
        Random random = new Random(20261125);
        Set<String> completedSerials = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            Process process = saveLoop(0);
            int savesBeforeKill = 1 + random.nextInt(4);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (int i = 0; i < savesBeforeKill; i++) {
                    String line = out.readLine();
                    assertThat(line).as("round %d: the save loop died early", round).startsWith("saved ");
                    completedSerials.add(line.substring("saved ".length()));
                }
                process.destroyForcibly(); // SIGKILL, somewhere inside the next save
                assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }

            Pkcs12CertificateStore store = new Pkcs12CertificateStore(folder.resolve("store"), PASSWORD.toCharArray());
            IssuedCertificate loaded = store.loadCertificate(DOMAIN).orElseThrow();
            assertWhole(loaded);
            AcmeAccount account = store.loadAccount(URI.create("https://ca.test/dir")).orElseThrow();
            assertThat(account.location()).isNotNull();
        }
        assertThat(completedSerials).hasSizeGreaterThanOrEqualTo(ROUNDS);
        System.out.printf("StoreCrashIT: %d kill -9 rounds, %d whole loads, 0 corrupt or half-written stores (%d saves"
                + " completed before the kills)%n", ROUNDS, ROUNDS, completedSerials.size());
    }

    @Test
    void twoProcessesSavingIntoOneFolderLeaveItConsistent() throws Exception {
        List<Process> processes = new ArrayList<>(List.of(saveLoop(10), saveLoop(10)));
        for (Process process : processes) {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        }

        Pkcs12CertificateStore store = new Pkcs12CertificateStore(folder.resolve("store"), PASSWORD.toCharArray());
        IssuedCertificate loaded = store.loadCertificate(DOMAIN).orElseThrow();
        assertWhole(loaded);
        assertThat(loaded.metadata().caDirectory()).as("the metadata belongs to the stored certificate")
                .isEqualTo(URI.create("https://ca.test/dir"));
        try (Stream<Path> files = Files.list(folder.resolve("store/certificates"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(DOMAIN + ".p12", DOMAIN + ".properties");
        }
    }

    /** The key signs what the certificate's public key verifies, and the metadata describes that certificate. */
    private static void assertWhole(IssuedCertificate certificate) throws Exception {
        byte[] message = "autocert4j".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(certificate.privateKey());
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.leaf().getPublicKey());
        verifier.update(message);
        assertThat(verifier.verify(signature)).as("private key matches the certificate").isTrue();
        assertThat(certificate.metadata().serialNumber()).isEqualTo(certificate.leaf().getSerialNumber().toString(16));
        assertThat(certificate.metadata().notAfter()).isEqualTo(certificate.leaf().getNotAfter().toInstant());
    }
}
