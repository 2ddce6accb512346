package dev.autocert4j.admin;

import dev.autocert4j.testkit.FileCreationTrace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin token's file: what another local user could read of it, from its first instant. */
class AdminTokenLoginTest {

    @TempDir
    Path folder;

    @Test
    void theTokenFileAndItsFolderAreOwnerOnlyFromTheInstantTheyAreCreated() throws Exception {
        Path state = folder.resolve("state");
        try (FileCreationTrace trace = FileCreationTrace.start()) {
            AdminTokenLogin.readOrCreate(state);

            var created = trace.stop().assertOwnerOnlyUnder(state);
            assertThat(created).extracting(event -> event.path().getFileName().toString())
                    .contains("state").anyMatch(name -> name.startsWith(".admin.token."));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(AdminTokenLogin.FILE_NAME))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    }

    @Test
    void theTokenHasTwoHundredFiftySixRandomUrlSafeBitsAndIsKeptAcrossStarts() throws Exception {
        AdminTokenLogin first = AdminTokenLogin.readOrCreate(folder.resolve("a"));
        String token = Files.readString(first.file()).strip();

        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(AdminTokenLogin.readOrCreate(folder.resolve("a")).matches(token)).as("read again at the next start").isTrue();
        assertThat(Files.readString(AdminTokenLogin.readOrCreate(folder.resolve("b")).file()).strip())
                .as("another state folder, another token").isNotEqualTo(token);
        assertThat(first.matches(token + " ")).as("white space around a pasted token").isTrue();
        assertThat(first.matches(token.substring(1))).isFalse();
        assertThat(first.matches(null)).isFalse();
    }

    @Test
    void aTokenFileOthersCanReadOrChangeIsRefusedByName() throws Exception {
        Path state = Files.createDirectories(folder.resolve("state"));
        Path planted = Files.writeString(state.resolve(AdminTokenLogin.FILE_NAME), "a-token-that-is-long-enough-to-pass\n");
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> AdminTokenLogin.readOrCreate(state)).isInstanceOf(IOException.class)
                .hasMessageContaining("the admin token file " + planted + " can be read or changed by other users")
                .hasMessageContaining("chmod 600");

        Path given = Files.writeString(folder.resolve("given.token"), "a-token-that-is-long-enough-to-pass\n");
        Files.setPosixFilePermissions(given, PosixFilePermissions.fromString("rw--w----"));
        assertThatThrownBy(() -> AdminTokenLogin.readFrom(given)).isInstanceOf(IOException.class)
                .hasMessageContaining(given.toString()).hasMessageNotContaining("long-enough");
    }

    @Test
    void aTokenFileInAFolderOthersCanWriteIsRefused() throws Exception {
        Path state = Files.createDirectories(folder.resolve("shared"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> AdminTokenLogin.readOrCreate(state)).isInstanceOf(IOException.class)
                .hasMessageContaining("the folder of the admin token " + state + ": other users may write to it");
    }

    @Test
    void aGivenTokenFileMustExistAndHoldAtLeastOneHundredTwentyEightBits() throws Exception {
        assertThatThrownBy(() -> AdminTokenLogin.readFrom(folder.resolve("missing.token"))).isInstanceOf(IOException.class)
                .hasMessage("the admin token file " + folder.resolve("missing.token") + " does not exist");
        Path shortToken = Files.createFile(folder.resolve("short.token"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(shortToken, "password123\n");

        assertThatThrownBy(() -> AdminTokenLogin.readFrom(shortToken)).isInstanceOf(IOException.class)
                .hasMessageContaining("is too short").hasMessageNotContaining("password123");
    }
}
