package dev.autocert4j;

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
class StoreKeyFilesTest {

    private static final String KEY_BASE64 = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path folder;

    @Test
    void aNewKeyFileIsOwnerOnlyFromTheInstantItIsCreatedAndNeverChmodded() throws Exception {
        Path keys = folder.resolve("keys");
        Path file = keys.resolve("store.key");
        StoreKey created;
        try (FileCreationTrace trace = FileCreationTrace.start()) {
            created = StoreKeyFiles.createFile(file);
            var events = trace.stop().assertOwnerOnlyUnder(keys);
            assertThat(events).extracting(event -> event.path().getFileName().toString())
                    .contains("keys").anyMatch(name -> name.startsWith(".store.key."));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(StoreKeyFiles.readFrom(file).fingerprint()).isEqualTo(created.fingerprint());
        try (var files = Files.list(keys)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void anExistingKeyFileIsNeverReplaced() throws Exception {
        Path file = folder.resolve("store.key");
        StoreKey first = StoreKeyFiles.createFile(file);

        assertThatThrownBy(() -> StoreKeyFiles.createFile(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("exists already");
        assertThat(StoreKeyFiles.readFrom(file).fingerprint()).isEqualTo(first.fingerprint());
    }

    @Test
    void aKeyFileOtherUsersCanReadIsRefusedByName() throws Exception {
        Path file = write("store.key", (KEY_BASE64 + "\n").getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> StoreKeyFiles.readFrom(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("other users")
                .hasMessageContaining("chmod 600 " + file);
    }

    @Test
    void readOrCreateMakesTheFileOnceAndReadsItAfterwards() throws Exception {
        Path file = folder.resolve("state").resolve("store.key");
        StoreKey made = StoreKeyFiles.readOrCreate(file);

        assertThat(StoreKeyFiles.readOrCreate(file)).isEqualTo(made);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(made.toString()).isEqualTo("StoreKey[" + made.fingerprint() + "]").doesNotContain(
                Files.readString(file).strip());
    }

    @Test
    void aMissingKeyFileSaysHowToMakeOne() {
        Path file = folder.resolve("missing.key");
        assertThatThrownBy(() -> StoreKeyFiles.readFrom(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("does not exist")
                .hasMessageContaining("head -c 32 /dev/urandom | base64");
    }

    @Test
    void aKeyIsThirtyTwoBytes() {
        assertThatThrownBy(() -> StoreKey.of(new byte[16])).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("32 bytes");
        assertThat(StoreKey.generate()).isNotEqualTo(StoreKey.generate());
    }

    @Test
    void whitespaceAndLineBreaksAreFine() throws Exception {
        String split = "  " + KEY_BASE64.substring(0, 20) + "\r\n\t" + KEY_BASE64.substring(20) + " \n\n";
        Path file = write("store.key", split.getBytes(StandardCharsets.US_ASCII));

        assertThat(StoreKeyFiles.readFrom(file).fingerprint()).isEqualTo(StoreKey.of(new byte[32]).fingerprint());
    }

    @Test
    void eachMalformedFileSaysWhatIsWrongAndHowToMakeOne() throws Exception {
        String wrongLength = Base64.getEncoder().encodeToString(new byte[16]);
        assertRefused(wrongLength.getBytes(StandardCharsets.US_ASCII), "holds 16 bytes in base64, not 32");
        assertRefused("not a key at all!".getBytes(StandardCharsets.US_ASCII), "is not base64");
        assertRefused(new byte[0], "is empty");
        assertRefused("\n \n".getBytes(StandardCharsets.US_ASCII), "is empty");
        assertRefused((KEY_BASE64 + "\n").getBytes(StandardCharsets.UTF_16), "UTF-16");
        assertRefused((KEY_BASE64 + "\n").getBytes(StandardCharsets.UTF_16LE), "NUL bytes");
        assertRefused((KEY_BASE64 + "é\n").getBytes(StandardCharsets.ISO_8859_1), "not ASCII");
        byte[] bom = (KEY_BASE64 + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] withBom = new byte[bom.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(bom, 0, withBom, 3, bom.length);
        assertRefused(withBom, "byte order mark");
    }

    private void assertRefused(byte[] content, String problem) throws Exception {
        Path file = write("bad-" + System.nanoTime() + ".key", content);
        assertThatThrownBy(() -> StoreKeyFiles.readFrom(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("must hold 32 random bytes in base64")
                .hasMessageContaining(problem)
                .hasMessageContaining("head -c 32 /dev/urandom | base64")
                .hasMessageNotContaining("Input length")
                .hasMessageNotContaining("Illegal base64");
    }

    private Path write(String name, byte[] content) throws Exception {
        Path file = Files.write(folder.resolve(name), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
