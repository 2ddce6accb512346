package dev.autocert4j.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.FileCreationTrace;
import dev.autocert4j.testkit.PostgresExtension;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real PostgreSQL server is stopped under the store (through a HikariCP pool, as in an
 * application) and started again: a node with a local copy keeps serving and loses nothing.
 */
class JdbcStoreWithoutTheDatabaseTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final StoreKey KEY = StoreKey.of(new byte[32]);
    private static final String DOMAIN = "portal.example.com";

    @TempDir
    Path folder;

    private HikariDataSource pool;
    private JdbcCertificateStore node1;
    private JdbcCertificateStore node2;

    @BeforeEach
    void open() {
        pool = Databases.pooled(POSTGRES.freshDatabase());
        node1 = JdbcCertificateStore.builder(pool).key(KEY).nodeName("node-1").localCopy(folder.resolve("node-1"))
                .pollInterval(Duration.ofMillis(200)).build();
        node2 = JdbcCertificateStore.builder(pool).key(KEY).nodeName("node-2").pollInterval(Duration.ofMillis(200)).build();
    }

    @AfterEach
    void close() {
        POSTGRES.server().startAgain();
        node1.close();
        node2.close();
        pool.close();
    }

    @Test
    void aNodeWithALocalCopyStartsAndServesWhileTheDatabaseIsDown() throws Exception {
        IssuedCertificate certificate = TestCertificates.issued(DOMAIN);
        node1.saveCertificate(certificate);
        node1.saveEnrollment(DOMAIN, Map.of("binding", "http://portal.example.com:80", "email", "admin@example.com"));
        node1.loadEnrollments();

        POSTGRES.server().stop();

        assertThat(node1.loadCertificate(DOMAIN).orElseThrow().metadata()).isEqualTo(certificate.metadata());
        assertThat(node1.loadMetadata(DOMAIN)).contains(certificate.metadata());
        assertThat(node1.loadEnrollments()).containsKey(DOMAIN);
        assertThatThrownBy(() -> node2.loadCertificate(DOMAIN)).as("a node without a local copy says the database failed")
                .isInstanceOf(CertificateStoreException.class).hasMessageStartingWith("The database failed while");
        try (var files = Files.list(folder.resolve("node-1"))) {
            files.forEach(file -> assertThat(posix(file)).as(file.toString()).isEqualTo("rw-------"));
        }
        assertThat(posix(folder.resolve("node-1"))).isEqualTo("rwx------");
    }

    @Test
    void aCertificateObtainedWhileTheDatabaseIsDownIsKeptAndWrittenWhenItIsBack() throws Exception {
        node1.saveCertificate(TestCertificates.issued(DOMAIN));
        BlockingQueue<String> heardBy2 = new LinkedBlockingQueue<>();
        node2.watch(heardBy2::add);
        assertThat(heardBy2.poll(10, TimeUnit.SECONDS)).isEqualTo(DOMAIN);
        node1.watch(domain -> { });
        POSTGRES.server().stop();
        IssuedCertificate renewed = TestCertificates.issued(DOMAIN);

        assertThatThrownBy(() -> node1.saveCertificate(renewed)).isInstanceOf(CertificateStoreException.class)
                .hasMessageEndingWith("the certificate is kept in this node's local copy and written to the database"
                        + " as soon as it answers");
        assertThat(node1.loadMetadata(DOMAIN)).as("the node serves the new one").contains(renewed.metadata());

        POSTGRES.server().startAgain();

        assertThat(heardBy2.poll(30, TimeUnit.SECONDS)).as("node-1's feed wrote it; node-2 heard of it").isEqualTo(DOMAIN);
        assertThat(node2.loadCertificate(DOMAIN).orElseThrow().metadata()).isEqualTo(renewed.metadata());
        node1.awaitBackgroundWork(Duration.ofSeconds(30)); // node-2 can hear of the row before node-1 forgets its .pending
        try (var files = Files.list(folder.resolve("node-1"))) {
            assertThat(files.map(file -> file.getFileName().toString())).doesNotContain(DOMAIN + ".pending");
        }
    }

    @Test
    void theLocalCopyIsOwnerOnlyFromTheInstantEachFileIsCreatedAndNeverChmodded() throws Exception {
        Path copy = folder.resolve("node-1");
        try (FileCreationTrace trace = FileCreationTrace.start()) {
            node1.saveCertificate(TestCertificates.issued(DOMAIN));
            node1.saveEnrollment(DOMAIN, Map.of("binding", "http://portal.example.com:80"));
            node1.loadEnrollments();

            var created = trace.stop().assertOwnerOnlyUnder(copy);
            assertThat(created).extracting(event -> event.path().getFileName().toString())
                    .contains("node-1").anyMatch(name -> name.startsWith("." + DOMAIN + ".certificate."))
                    .anyMatch(name -> name.startsWith(".enrollments.sealed."));
        }
    }

    @Test
    void aLocalCopyFolderOtherUsersCanUseIsRefusedByName() throws Exception {
        Path shared = Files.createDirectories(folder.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> JdbcCertificateStore.builder(pool).key(KEY).localCopy(shared).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(shared.toString())
                .hasMessageContaining("chmod 700");
    }

    private static String posix(Path file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
