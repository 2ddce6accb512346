package dev.autocert4j.jdbc;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.StoreKeyFiles;
import dev.autocert4j.testkit.FileCreationTrace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store key file as a local user and a careless administrator meet it: created readable by its
 * owner only from its first instant, refused when others can read it, and every malformed file
 * refused with what is wrong and how to make one, never a decoder's message.
 */
class StoreKeyFileTest {

    private static final String KEY_BASE64 = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path folder;

    @Test
    void aNewKeyFileIsOwnerOnlyFromTheInstantItIsCreatedAndNeverChmodded() throws Exception {
        Path keys = folder.resolve("keys");
        Path file = keys.resolve("store.key");
        StoreKey created;
        try (FileCreationTrace trace = FileCreationTrace.start()) {
            created = StoreKey.createFile(file);
            var events = trace.stop().assertOwnerOnlyUnder(keys);
            assertThat(events).extracting(event -> event.path().getFileName().toString())
                    .contains("keys").anyMatch(name -> name.startsWith(".store.key."));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(StoreKey.readFrom(file).fingerprint()).isEqualTo(created.fingerprint());
        try (var files = Files.list(keys)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void anExistingKeyFileIsNeverReplaced() throws Exception {
        Path file = folder.resolve("store.key");
        StoreKey first = StoreKey.createFile(file);

        assertThatThrownBy(() -> StoreKey.createFile(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("exists already");
        assertThat(StoreKey.readFrom(file).fingerprint()).isEqualTo(first.fingerprint());
    }

    @Test
    void aKeyFileOtherUsersCanReadIsRefusedByName() throws Exception {
        Path file = write("store.key", (KEY_BASE64 + "\n").getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> StoreKey.readFrom(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("other users")
                .hasMessageContaining("chmod 600 " + file);
    }

    @Test
    void theKeyFileIsCoresSoTheSealedStoreAndThisStoreShareOneKey() throws Exception {
        Path file = folder.resolve("store.key");

        StoreKey key = StoreKey.createFile(file);

        assertThat(StoreKeyFiles.readFrom(file)).isEqualTo(key.toStoreKey());
        assertThat(StoreKey.readFrom(file).fingerprint()).isEqualTo(key.fingerprint());
    }

    @Test
    void aMalformedFileSaysWhatIsWrongAndHowToMakeOne() throws Exception {
        Path file = write("bad.key", "not a key at all!".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> StoreKey.readFrom(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("is not base64")
                .hasMessageContaining("head -c 32 /dev/urandom | base64").hasMessageNotContaining("Illegal base64");
    }

    private Path write(String name, byte[] content) throws Exception {
        Path file = Files.write(folder.resolve(name), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
