package dev.autocert4j.pkcs12;

import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordFileTest {

    @TempDir
    Path folder;

    @Test
    void theFirstStoreMakesAPrivatePasswordFileAndTheNextOneReadsIt() throws Exception {
        Path passwordFile = folder.resolve("state/store.password");
        IssuedCertificate certificate = TestCertificates.issued("portal.example.com");

        Pkcs12CertificateStore.withPasswordFile(folder.resolve("state/store"), passwordFile).saveCertificate(certificate);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        assertThat(Files.readString(passwordFile).strip()).hasSize(32);
        Pkcs12CertificateStore reopened = Pkcs12CertificateStore.withPasswordFile(folder.resolve("state/store"), passwordFile);
        assertThat(reopened.loadCertificate("portal.example.com").orElseThrow().privateKey())
                .isEqualTo(certificate.privateKey());
        try (var leftovers = Files.list(passwordFile.getParent())) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("store.password", "store");
        }
    }

    @Test
    void processesStartingTogetherAgreeOnOnePassword() throws Exception {
        Path passwordFile = folder.resolve("store.password");
        int starters = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(starters);
        try {
            List<Future<String>> passwords = new ArrayList<>();
            for (int i = 0; i < starters; i++) {
                Callable<String> open = () -> {
                    start.await();
                    return new String(PasswordFile.readOrCreate(passwordFile));
                };
                passwords.add(pool.submit(open));
            }
            start.countDown();
            Set<String> distinct = new HashSet<>();
            for (Future<String> password : passwords) {
                distinct.add(password.get());
            }
            assertThat(distinct).containsExactly(Files.readString(passwordFile).strip());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesAPasswordFileOthersCanReadOrThatIsEmpty() throws Exception {
        Path shared = Files.writeString(folder.resolve("shared.password"), "secret\n");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
        Path empty = Files.writeString(folder.resolve("empty.password"), "\n");
        Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> Pkcs12CertificateStore.withPasswordFile(folder.resolve("store"), shared))
                .isInstanceOf(CertificateStoreException.class)
                .hasMessage("Cannot open the store password: the password file " + shared
                        + " can be read or changed by other users (rw-r--r--); make it private: chmod 600 " + shared);
        assertThatThrownBy(() -> Pkcs12CertificateStore.withPasswordFile(folder.resolve("store"), empty))
                .isInstanceOf(CertificateStoreException.class)
                .hasMessageEndingWith("is empty");
        assertThat(Files.readString(shared)).as("left as it was").isEqualTo("secret\n");
    }
}
