package dev.autocert4j.pkcs12;

import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.TestCertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A save that runs out of space: a separate JVM under {@code ulimit -f 1} (files of at most 1 KiB,
 * the kernel answers EFBIG as it would ENOSPC) tries to save; it fails with a clear error and the
 * stored certificate is untouched.
 */
class DiskFullIT {

    private static final String PASSWORD = "disk-full-password";

    @TempDir
    Path folder;

    @Test
    void aSaveThatCannotWriteFailsClearlyAndKeepsTheOldCertificate() throws Exception {
        Path root = folder.resolve("store");
        IssuedCertificate original = new TestCertificateAuthority("Disk full CA").issue("full.example.com");
        new Pkcs12CertificateStore(root, PASSWORD.toCharArray()).saveCertificate(original);
        Path p12 = root.resolve("certificates/full.example.com.p12");
        byte[] before = Files.readAllBytes(p12);
        assertThat(before.length).as("the PKCS#12 file is larger than the 1 KiB limit").isGreaterThan(1024);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder("bash", "-c", "ulimit -f 1; exec \"$0\" -XX:-UsePerfData -cp \"$1\" "
                + SaveLoop.class.getName() + " \"$2\" " + PASSWORD + " full.example.com 1",
                java, System.getProperty("java.class.path"), root.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).contains("Cannot save " + p12).contains("File too large").contains("What was stored before is unchanged");
        assertThat(Files.readAllBytes(p12)).isEqualTo(before);
        IssuedCertificate loaded = new Pkcs12CertificateStore(root, PASSWORD.toCharArray())
                .loadCertificate("full.example.com").orElseThrow();
        assertThat(loaded.metadata()).isEqualTo(original.metadata());
        try (Stream<Path> files = Files.list(root.resolve("certificates"))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }
}
