package dev.autocert4j.examples;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the demo's database password comes from: a private file or the environment, never the command line. */
class DemoStoreTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:1/portal?user=portal";

    @TempDir
    Path folder;

    @Test
    void thePasswordComesFromThePrivateFileBeforeTheEnvironment() throws Exception {
        Path file = privateFile("db.password", "from-the-file\n");
        DemoOptions withFile = DemoOptions.parse("--store", URL, "--store-key-file", "k", "--store-password-file",
                file.toString(), "--status");
        DemoOptions withoutFile = DemoOptions.parse("--store", URL, "--store-key-file", "k", "--status");
        Map<String, String> environment = Map.of(DemoOptions.STORE_PASSWORD_VARIABLE, "from-the-environment");

        assertThat(DemoStore.storePassword(withFile, environment)).isEqualTo("from-the-file");
        assertThat(DemoStore.storePassword(withoutFile, environment)).isEqualTo("from-the-environment");
        assertThat(DemoStore.storePassword(withoutFile, Map.of())).isNull();
        try (HikariDataSource pool = DemoStore.pool(URL, DemoStore.storePassword(withFile, environment))) {
            assertThat(pool.getPassword()).as("the pool connects with it").isEqualTo("from-the-file");
            assertThat(pool.getJdbcUrl()).isEqualTo(URL);
        }
    }

    @Test
    void aPasswordFileOthersCanReadIsRefusedByNameWithoutShowingThePassword() throws Exception {
        Path file = Files.writeString(folder.resolve("db.password"), "s3cr3t\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        DemoOptions options = DemoOptions.parse("--store", URL, "--store-key-file", "k", "--store-password-file",
                file.toString(), "--status");

        assertThatThrownBy(() -> DemoStore.storePassword(options, Map.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("the store password file " + file + " can be read or changed by other users")
                .hasMessageNotContaining("s3cr3t");
    }

    private Path privateFile(String name, String content) throws IOException {
        Path file = Files.createFile(folder.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, content);
    }
}
