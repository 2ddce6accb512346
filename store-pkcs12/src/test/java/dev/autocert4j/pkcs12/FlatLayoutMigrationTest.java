package dev.autocert4j.pkcs12;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.CertificateStores;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.StoreKey;
import dev.autocert4j.spi.OwnerOnlyFiles;
import dev.autocert4j.spi.StorageException;
import dev.autocert4j.spi.StoreKeyFiles;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A folder of the flat layout (the fixture {@code folder-flat}, written by {@code WriteFlatLayoutFolder}
 * with that layout's own store code) moved to the sharded layout in place: once, atomically (the flat
 * files stay the truth until the marker is written), and read with the same certificates; what a
 * crash or a local user leaves behind is never read in place of the truth.
 */
class FlatLayoutMigrationTest {

    private static final String PORTAL = "portal.example.com";
    private static final String SHOPS = "*.shop.example.com";
    private static final URI CA = URI.create("https://ca.test/dir");

    @TempDir
    Path folder;

    private Path state;
    private StoreKey key;
    private Properties expected;

    @BeforeEach
    void copyTheFixture() throws Exception {
        Path fixture = Path.of(getClass().getResource("/folder-flat/expected.properties").toURI()).getParent();
        try (Stream<Path> paths = Files.walk(fixture)) {
            for (Path path : paths.toList()) {
                Path target = folder.resolve(fixture.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    OwnerOnlyFiles.createFolders(target);
                } else {
                    OwnerOnlyFiles.replace(target, Files.readAllBytes(path));
                }
            }
        }
        state = folder.resolve("state");
        key = StoreKeyFiles.readFrom(folder.resolve("store.key"));
        expected = new Properties();
        try (Reader reader = Files.newBufferedReader(folder.resolve("expected.properties"))) {
            expected.load(reader);
        }
    }

    private CertificateStore open() {
        return CertificateStores.onStorage(new FolderStorage(state), key);
    }

    @Test
    void aFlatFolderIsReadWithTheSameCertificatesEnrollmentsAndAccountFromShardFolders() throws Exception {
        CertificateStore store = open();

        assertThat(store.domains()).containsExactly(SHOPS, PORTAL);
        for (String domain : List.of(PORTAL, SHOPS)) {
            IssuedCertificate moved = store.loadCertificate(domain).orElseThrow();
            assertThat(moved.metadata().serialNumber()).isEqualTo(expected.getProperty(domain + ".serial"));
        }
        assertThat(store.loadEnrollments()).containsOnlyKeys(PORTAL, SHOPS);
        assertThat(store.loadEnrollments().get(PORTAL)).containsEntry("https-port", "8443");
        AcmeAccount account = store.loadAccount(CA).orElseThrow();
        assertThat(account.location()).hasToString(expected.getProperty("account.location"));

        assertThat(entryFiles()).allSatisfy(file -> assertThat(file.getParent().getFileName().toString())
                .as(file.toString()).matches("[0-9a-f]{2}")).hasSize(5);
        assertThat(Files.readString(state.resolve(FlatLayoutMigration.MARKER))).isEqualTo(FlatLayoutMigration.FLAT_FILES_REMOVED);
    }

    @Test
    void theMoveRunsOnceAFlatFileWrittenAfterItIsNeverRead() throws Exception {
        FolderStorage storage = new FolderStorage(state);
        storage.get("certificates/" + PORTAL); // the move
        byte[] flatBytes = Files.readAllBytes(storage.fileOf("certificates/" + PORTAL));
        CertificateStore store = open();
        IssuedCertificate renewed = TestCertificates.issued(List.of(PORTAL, "www." + PORTAL), java.time.Instant.now(),
                java.time.Duration.ofDays(90));
        store.saveCertificate(renewed);
        // an older node, or someone, writes the flat layout's file again
        Files.write(state.resolve("certificates.d/portal.example.com.entry"), flatBytes);

        assertThat(FlatLayoutMigration.migrateIfNeeded(state, new FolderStorage(state)::fileOf)).isZero();
        assertThat(open().loadCertificate(PORTAL)).contains(renewed);
        assertThat(new FolderStorage(state).list("certificates/")).containsExactly("certificates/_2a.shop.example.com",
                "certificates/" + PORTAL);
    }

    @Test
    void untilTheMarkerIsWrittenTheFlatFilesAreTheTruthAndAreLeftAsTheyWere() throws Exception {
        Map<String, String> before = hashes();
        // a file where one shard folder has to be made: the move fails half-way, as a full disk would
        Path blocked = state.resolve("certificates.d").resolve(FolderStorage.shardOf(PORTAL));
        Files.write(blocked, new byte[] {1});

        assertThatThrownBy(() -> new FolderStorage(state).get("certificates/" + PORTAL))
                .isInstanceOf(StorageException.class).hasMessageContaining(state.toString())
                .hasMessageContaining("unchanged");
        assertThat(state.resolve(FlatLayoutMigration.MARKER)).doesNotExist();
        Map<String, String> after = hashes();
        after.keySet().removeIf(name -> !name.endsWith(".entry") || name.matches(".*/[0-9a-f]{2}/.*"));
        assertThat(after).isEqualTo(before);

        Files.delete(blocked);
        assertThat(open().loadCertificate(PORTAL).orElseThrow().metadata().serialNumber())
                .isEqualTo(expected.getProperty(PORTAL + ".serial"));
        assertThat(open().domains()).containsExactly(SHOPS, PORTAL);
    }

    @Test
    void aMoveCutShortBeforeItsMarkerRunsAgainFromTheFlatFiles() throws Exception {
        // what a crash leaves: a sharded file that is not what the flat file holds, and no marker
        Path sharded = new FolderStorage(state).fileOf("certificates/" + PORTAL);
        OwnerOnlyFiles.replace(sharded, "half a move".getBytes(StandardCharsets.UTF_8));

        assertThat(open().loadCertificate(PORTAL).orElseThrow().metadata().serialNumber())
                .isEqualTo(expected.getProperty(PORTAL + ".serial"));
    }

    @Test
    void aMoveCutShortAfterItsMarkerReadsTheShardsAndDeletesTheFlatFiles() throws Exception {
        FolderStorage storage = new FolderStorage(state);
        Map<String, byte[]> flat = new HashMap<>();
        for (Path file : entryFiles()) {
            flat.put(file.toString(), Files.readAllBytes(file));
        }
        storage.get("certificates/" + PORTAL);
        IssuedCertificate renewed = TestCertificates.issued(List.of(PORTAL, "www." + PORTAL), java.time.Instant.now(),
                java.time.Duration.ofDays(90));
        open().saveCertificate(renewed);
        // the marker written, the flat files not deleted yet
        for (Map.Entry<String, byte[]> file : flat.entrySet()) {
            Files.write(Path.of(file.getKey()), file.getValue());
        }
        OwnerOnlyFiles.replace(state.resolve(FlatLayoutMigration.MARKER), FlatLayoutMigration.SHARDED.getBytes(StandardCharsets.UTF_8));

        assertThat(open().loadCertificate(PORTAL)).contains(renewed);
        assertThat(entryFiles()).hasSize(5).allSatisfy(file -> assertThat(file.getParent().getFileName().toString())
                .matches("[0-9a-f]{2}"));
    }

    @Test
    void aMarkerThisStoreNeverWritesStopsTheMoveAndTheFlatFilesStay() throws Exception {
        Map<String, String> before = hashes();
        OwnerOnlyFiles.replace(state.resolve(FlatLayoutMigration.MARKER), "sharded 16\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> open().domains()).isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining(FlatLayoutMigration.MARKER);
        Map<String, String> after = hashes();
        after.remove(FlatLayoutMigration.MARKER);
        after.remove(".lock");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aLinkPlantedAsAFlatFileIsNotFollowedNorMoved() throws Exception {
        Path outside = Files.writeString(folder.resolve("outside.txt"), "not a store entry");
        Path planted = state.resolve("certificates.d/planted.example.com.entry");
        Files.createSymbolicLink(planted, outside);

        assertThat(open().domains()).containsExactly(SHOPS, PORTAL);
        assertThat(new FolderStorage(state).fileOf("certificates/planted.example.com")).doesNotExist();
        assertThat(Files.readString(outside)).isEqualTo("not a store entry");
    }

    @Test
    void twoHundredThousandEntriesMakeNoFolderOfMoreThanAThousandFiles() {
        FolderStorage storage = new FolderStorage(state);
        Map<Path, Integer> perFolder = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            for (String kind : List.of("certificates/", "enrollments/")) {
                perFolder.merge(storage.fileOf(kind + "site" + i + ".bench.test").getParent(), 1, Integer::sum);
            }
        }

        assertThat(perFolder).hasSize(512);
        assertThat(perFolder.values()).allSatisfy(count -> assertThat(count).isBetween(250, 1_000));
    }

    private List<Path> entryFiles() throws IOException {
        try (Stream<Path> paths = Files.walk(state)) {
            return paths.filter(path -> path.getFileName().toString().endsWith(".entry")).sorted().toList();
        }
    }

    private Map<String, String> hashes() throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(state)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                try {
                    hashes.put(state.relativize(path).toString(), HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path))));
                } catch (java.security.GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return hashes;
    }
}
