package dev.autocert4j.pkcs12;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStores;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.StoreKey;
import dev.autocert4j.spi.Storage;
import dev.autocert4j.testkit.FileCreationTrace;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.StorageContract;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The folder storage keeps the storage contract, and against a local user: owner-only files from their first instant, no path out of the folder. */
class FolderStorageTest extends StorageContract {

    @TempDir
    Path folder;

    @Override
    protected Storage openStorage() {
        return new FolderStorage(folder.resolve("state"));
    }

    @Test
    void everyFileIsOwnerOnlyFromTheInstantItIsCreatedAndEveryFolderToo() throws Exception {
        Path root = folder.resolve("state");
        try (FileCreationTrace trace = FileCreationTrace.start()) {
            CertificateStore store = CertificateStores.onStorage(new FolderStorage(root), StoreKey.generate());
            store.saveCertificate(TestCertificates.issued("portal.example.com"));
            store.saveEnrollment("portal.example.com", java.util.Map.of("binding", "http://portal.example.com:80"));
            store.saveAccount(new dev.autocert4j.AcmeAccount(URI.create("https://ca.test/dir"),
                    dev.autocert4j.KeyType.EC_P256.generate(), null));
            new FolderStorage(root).put("notes/plain", new byte[] {1});

            var created = trace.stop().assertOwnerOnlyUnder(root);
            assertThat(created).extracting(event -> event.path().getFileName().toString())
                    .contains("certificates.d", "enrollments.d", "accounts.d")
                    .anyMatch(name -> name.startsWith(".portal.example.com.entry."));
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).as(path.toString())
                        .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
            }
        }
        assertThat(root.resolve("certificates.d/" + FolderStorage.shardOf("portal.example.com") + "/portal.example.com.entry"))
                .isRegularFile();
    }

    @Test
    void noKeyLeadsOutOfTheFolderAndNoTwoKeysShareAFile() {
        FolderStorage storage = new FolderStorage(folder.resolve("state"));
        List<String> keys = List.of("a", "a.entry", "a.d/b", "a/b", "a..b", "a/b..", "_-x/y..z/-", "a.entry/b.d");
        for (String key : keys) {
            Path file = storage.fileOf(key);
            assertThat(file.normalize()).as(key).isEqualTo(file).startsWithRaw(storage.root());
        }
        assertThat(keys.stream().map(storage::fileOf).distinct()).hasSameSizeAs(keys);
        keys.forEach(key -> storage.put(key, key.getBytes(StandardCharsets.UTF_8)));
        keys.forEach(key -> assertThat(storage.get(key).orElseThrow().bytes()).isEqualTo(key.getBytes(StandardCharsets.UTF_8)));
        assertThat(storage.list("")).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void filesThisStorageDidNotWriteAreNotListed() throws Exception {
        FolderStorage storage = new FolderStorage(folder.resolve("state"));
        storage.put("certificates/a", new byte[] {1});
        Files.write(storage.root().resolve("certificates.d/.a.entry.tmp"), new byte[] {2});
        Files.write(storage.root().resolve("certificates.d/b.p12"), new byte[] {3});
        Files.write(storage.root().resolve("stray.entry.d"), new byte[] {4});
        Files.write(storage.fileOf("certificates/a").resolveSibling(".a.entry.tmp"), new byte[] {5});
        String wrongShard = FolderStorage.shardOf("c").equals("00") ? "01" : "00";
        Files.createDirectories(storage.root().resolve("certificates.d/" + wrongShard));
        Files.write(storage.root().resolve("certificates.d/" + wrongShard + "/c.entry"), new byte[] {6});
        Files.write(storage.root().resolve("certificates.d/d.entry"), new byte[] {7}); // the flat layout, after the move

        assertThat(storage.list("")).containsExactly("certificates/a");
    }

    @Test
    void aFolderOtherUsersMayWriteToIsRefusedByName() throws Exception {
        Path root = Files.createDirectory(folder.resolve("shared"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> new FolderStorage(root).get("certificates/a"))
                .isInstanceOf(CertificateStoreException.class).hasMessageContaining(root.toString())
                .hasMessageContaining("chmod 700");
    }

    @Test
    void aFileSwappedBehindTheStoragesBackWithTheSameSizeAndTimeIsSeenAsChanged() throws Exception {
        MutableClock clock = new MutableClock(java.time.Instant.now());
        FolderStorage storage = new FolderStorage(folder.resolve("state"), clock);
        storage.put("certificates/a", "original!".getBytes(StandardCharsets.UTF_8));
        Path file = storage.fileOf("certificates/a");
        var written = Files.getLastModifiedTime(file);
        clock.advance(java.time.Duration.ofMinutes(1)); // long unchanged: its stamp is trusted from now on
        String version = storage.stat("certificates/a").orElseThrow().version();
        assertThat(storage.stat("certificates/a").orElseThrow().version()).isEqualTo(version);

        Path swapped = Files.write(file.resolveSibling("swapped"), "forgery!!".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(swapped, written);
        Files.move(swapped, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        assertThat(storage.stat("certificates/a").orElseThrow().version()).isNotEqualTo(version)
                .isEqualTo(storage.get("certificates/a").orElseThrow().version());
    }

    @Test
    void aFileRewrittenInPlaceWhileItsStampIsFreshIsReadAgain() throws Exception {
        MutableClock clock = new MutableClock(java.time.Instant.now());
        FolderStorage storage = new FolderStorage(folder.resolve("state"), clock);
        storage.put("certificates/a", "original!".getBytes(StandardCharsets.UTF_8));
        Path file = storage.fileOf("certificates/a");
        var written = Files.getLastModifiedTime(file);
        String version = storage.stat("certificates/a").orElseThrow().version();

        // the same inode, size and modification time: within one tick of the file system's clock, only the content differs
        Files.write(file, "forgery!!".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.WRITE);
        Files.setLastModifiedTime(file, written);

        assertThat(storage.stat("certificates/a").orElseThrow().version()).isNotEqualTo(version)
                .isEqualTo(storage.get("certificates/a").orElseThrow().version());
    }
}
