package dev.autocert4j.spi;

import dev.autocert4j.testkit.FileCreationTrace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Another local user watching the folder: every file and folder is owner-only from the call that makes it. */
class OwnerOnlyFilesTest {

    @TempDir
    Path folder;

    @Test
    void aSecretAndItsFoldersAreOwnerOnlyFromTheCallThatCreatesThemAndNeverChmodded() throws Exception {
        Path secret = folder.resolve("keys").resolve("deep").resolve("secret.key");
        try (FileCreationTrace trace = FileCreationTrace.start()) {
            OwnerOnlyFiles.replace(secret, bytes("first"));
            OwnerOnlyFiles.replace(secret, bytes("second"));

            var events = trace.stop().assertOwnerOnlyUnder(folder);
            assertThat(events).extracting(event -> event.path().getFileName().toString())
                    .contains("keys", "deep").anyMatch(name -> name.startsWith(".secret.key.") && name.endsWith(".tmp"));
        }
        assertThat(Files.readString(secret)).isEqualTo("second");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret.getParent()))).isEqualTo("rwx------");
        assertThat(names(secret.getParent())).as("no temporary file left").containsExactly("secret.key");
    }

    @Test
    void createNewNeverReplacesAFileSomeoneElseMade() throws Exception {
        Path key = folder.resolve("store.key");
        Files.writeString(key, "planted first");

        assertThatThrownBy(() -> OwnerOnlyFiles.createNew(key, bytes("ours"))).isInstanceOf(FileAlreadyExistsException.class);

        assertThat(Files.readString(key)).isEqualTo("planted first");
        assertThat(names(folder)).containsExactly("store.key");
    }

    @Test
    void createNewWritesTheWholeFileOwnerOnly() throws Exception {
        Path key = folder.resolve("new").resolve("store.key");
        try (FileCreationTrace trace = FileCreationTrace.start()) {
            OwnerOnlyFiles.createNew(key, bytes("ours"));
            trace.stop().assertOwnerOnlyUnder(folder);
        }
        assertThat(Files.readString(key)).isEqualTo("ours");
    }

    @Test
    void aFolderOtherUsersMayWriteIsRefusedSayingHowToPutItRight() throws Exception {
        Path shared = Files.createDirectory(folder.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> OwnerOnlyFiles.requirePrivateFolder(shared)).isInstanceOf(IOException.class)
                .hasMessageContaining("other users may write to it").hasMessageContaining("chmod 700 " + shared);
        OwnerOnlyFiles.requirePrivateFolder(folder.resolve("not yet made"));
    }

    @Test
    void leftoverTemporaryFilesAreRemovedAndNothingElse() throws Exception {
        Files.writeString(folder.resolve(".cert.p12.0a1b.tmp"), "half written");
        Files.writeString(folder.resolve("cert.p12"), "kept");
        Files.writeString(folder.resolve("notes.tmp"), "kept too");

        OwnerOnlyFiles.deleteTemporaryFiles(folder);

        assertThat(names(folder)).containsExactlyInAnyOrder("cert.p12", "notes.tmp");
    }

    @Test
    void othersCanUseAnyBitOfGroupOrOthers() {
        assertThat(OwnerOnlyFiles.othersCanUse(PosixFilePermissions.fromString("rw-------"))).isFalse();
        assertThat(OwnerOnlyFiles.othersCanUse(PosixFilePermissions.fromString("rw----r--"))).isTrue();
        assertThat(OwnerOnlyFiles.othersCanUse(PosixFilePermissions.fromString("rwx--x---"))).isTrue();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static java.util.List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
