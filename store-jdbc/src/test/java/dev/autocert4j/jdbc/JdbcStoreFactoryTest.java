package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.CertificateStoreFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.testkit.PostgresExtension;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The database store chosen by its name, as the demo's --store and Spring Boot's properties do. */
class JdbcStoreFactoryTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir
    Path folder;

    @Test
    void isFoundByItsNameMakesItsKeyFileOwnerOnlyAndKeepsCertificatesInTheDatabase() throws Exception {
        Path keyFile = folder.resolve("store.key");
        Map<String, String> settings = Map.of("url", POSTGRES.freshDatabase(), "key-file", keyFile.toString(),
                "node-name", "node-1", "lease-length", "PT2M");

        try (JdbcCertificateStore first = (JdbcCertificateStore) create(settings)) {
            first.saveCertificate(TestCertificates.issued("portal.example.com"));
            assertThat(first.nodeName()).isEqualTo("node-1");
        }
        try (JdbcCertificateStore second = (JdbcCertificateStore) create(settings)) {
            assertThat(second.loadCertificate("portal.example.com")).as("read back with the same key file").isPresent();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutEchoingIt() {
        for (String url : new String[]{"jdbc:postgresql://portal:s3cr3t@db/portal",
                "jdbc:postgresql://db/portal?user=portal&password=s3cr3t",
                "jdbc:mariadb://db/portal?user=portal&sslPassword=s3cr3t",
                "jdbc:postgresql://db/portal?user=portal&pass%77ord=s3cr3t"}) {
            assertThatThrownBy(() -> create(Map.of("url", url, "key-file", folder.resolve("k").toString())))
                    .as(url).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("holds a password").hasMessageNotContaining("s3cr3t");
        }
        assertThat(Files.exists(folder.resolve("k"))).as("refused before anything is made").isFalse();
    }

    @Test
    void aPasswordFileOthersCanReadIsRefusedByName() throws Exception {
        Path passwordFile = Files.writeString(folder.resolve("db.password"), "s3cr3t\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> settings = new HashMap<>(Map.of("url", POSTGRES.freshDatabase(),
                "key-file", folder.resolve("k").toString(), "password-file", passwordFile.toString()));

        assertThatThrownBy(() -> create(settings)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(passwordFile + " can be read or changed by other users")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void theUrlAndKeyFileAreRequiredAndAnUnknownSettingIsRefused() {
        assertThatThrownBy(() -> create(Map.of("key-file", "k"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("url");
        assertThatThrownBy(() -> create(Map.of("url", "jdbc:postgresql://db/portal")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("key-file");
        assertThatThrownBy(() -> create(Map.of("url", "jdbc:oracle:thin:@db", "key-file", "k")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("jdbc:postgresql://");
        assertThatThrownBy(() -> create(Map.of("url", "jdbc:postgresql://db/portal", "key-file", "k", "password", "x")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("password-file");
    }

    private CertificateStore create(Map<String, String> settings) {
        return NamedPlugins.create(CertificateStoreFactory.class, JdbcStoreFactory.NAME, settings,
                getClass().getClassLoader());
    }
}
