package dev.autocert4j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** Where the demo's database password comes from: a private file or the environment, never the command line. */
class DemoStoreTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:1/portal?user=portal";

    @TempDir
    Path folder;

    @Test
    void thePasswordComesFromThePrivateFileBeforeTheEnvironmentAndIsNeverInTheSettings() throws Exception {
        Path file = privateFile("db.password", "from-the-file\n");
        DemoOptions withFile = DemoOptions.parse("--store", URL, "--store-key-file", "k", "--store-password-file",
                file.toString(), "--status");
        DemoOptions withoutFile = DemoOptions.parse("--store", URL, "--store-key-file", "k", "--status");
        Map<String, String> environment = Map.of(DemoOptions.STORE_PASSWORD_VARIABLE, "from-the-environment");

        assertThat(DemoStore.passwordSettings(withFile, environment)).containsExactly(entry("password-file", file.toString()));
        assertThat(DemoStore.passwordSettings(withoutFile, environment))
                .containsExactly(entry("password-variable", DemoOptions.STORE_PASSWORD_VARIABLE));
        assertThat(DemoStore.passwordSettings(withoutFile, Map.of())).isEmpty();
    }

    @Test
    void aPasswordFileOthersCanReadIsRefusedByNameWithoutShowingThePassword() throws Exception {
        Path file = Files.writeString(folder.resolve("db.password"), "s3cr3t\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        DemoOptions options = DemoOptions.parse("--store", URL, "--store-key-file", "k", "--store-password-file",
                file.toString(), "--status");

        assertThatThrownBy(() -> DemoStore.passwordSettings(options, Map.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("the store password file " + file + " can be read or changed by other users")
                .hasMessageNotContaining("s3cr3t");
    }

    private Path privateFile(String name, String content) throws IOException {
        Path file = Files.createFile(folder.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, content);
    }
}
