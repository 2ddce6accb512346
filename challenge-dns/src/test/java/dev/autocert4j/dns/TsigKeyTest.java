package dev.autocert4j.dns;

import dev.autocert4j.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TsigKeyTest {

    @TempDir
    Path folder;

    @Test
    void readsTheKeyFileTsigKeygenWrites() throws Exception {
        TsigKey key = read("""
                key "update-key" {
                	algorithm hmac-sha256;
                	secret "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=";
                };
                """);

        assertThat(key.name()).isEqualTo("update-key");
        assertThat(key.algorithm()).isEqualTo("hmac-sha256");
        assertThat(key.secret()).isEqualTo("q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=");
    }

    @Test
    void aSecretContainingDoubleSlashesIsNotTakenForAComment() throws Exception {
        for (String secret : new String[]{"ab//cdEF+/8=", "//startsWithSlashes=", "abcd////////", "////"}) {
            TsigKey key = read("key \"k\" { algorithm hmac-sha256; secret \"" + secret + "\"; };");
            assertThat(key.secret()).as(secret).isEqualTo(secret);
        }
    }

    @Test
    void everyRandomSecretReadsBackWhateverCharactersItHolds() throws Exception {
        Random random = new Random(8945); // fixed seed: the same 2,000 keys on every run, many with "//"
        int withDoubleSlash = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String secret = Base64.getEncoder().encodeToString(bytes);
            withDoubleSlash += secret.contains("//") ? 1 : 0;
            assertThat(read("key \"k\" {\n\talgorithm hmac-sha256;\n\tsecret \"" + secret + "\";\n};\n").secret())
                    .isEqualTo(secret);
        }
        assertThat(withDoubleSlash).as("keys with // among those tried").isPositive();
    }

    @Test
    void commentsOfEveryStyleOutsideStringsAreIgnored() throws Exception {
        TsigKey key = read("""
                # made by tsig-keygen
                // key "wrong" { algorithm hmac-sha1; secret "AAAA"; };
                /* key "also-wrong" {
                   algorithm hmac-sha1; secret "AAAA"; }; */
                key "right" { // the one to use
                    algorithm hmac-sha512; # strongest
                    secret /* inline */ "c2VjcmV0";
                };
                """);

        assertThat(key.name()).isEqualTo("right");
        assertThat(key.algorithm()).isEqualTo("hmac-sha512");
        assertThat(key.secret()).isEqualTo("c2VjcmV0");
    }

    @Test
    void aQuotedNameMayHoldCommentCharacters() throws Exception {
        assertThat(read("key \"a#b//c/*d\" { algorithm hmac-sha256; secret \"c2VjcmV0\"; };").name())
                .isEqualTo("a#b//c/*d");
    }

    @Test
    void aFileWithoutAKeyOrWithoutItsPartsIsAClearError() {
        assertThatThrownBy(() -> read("options { };")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("holds no 'key \"name\" { ... };' block");
        assertThatThrownBy(() -> read("key \"k\" { algorithm hmac-sha256; };"))
                .hasMessageContaining("needs an algorithm and a secret");
        assertThatThrownBy(() -> read("key \"k\" { algorithm hmac-sha256; secret \"c2Vj; };"))
                .hasMessageContaining("quoted string that is never closed");
        assertThatThrownBy(() -> read("/* key \"k\" { algorithm hmac-sha256; secret \"c2VjcmV0\"; };"))
                .hasMessageContaining("'/*' comment that is never closed");
    }

    @Test
    void theSecretIsNeverInTheErrorOrTheKeysText() throws Exception {
        TsigKey key = read("key \"k\" { algorithm hmac-sha256; secret \"c2VjcmV0\"; };");
        assertThat(key.toString()).doesNotContain("c2VjcmV0");
        assertThatThrownBy(() -> read("key \"k\" { algorithm hmac-md5; secret \"c2VjcmV0\"; };"))
                .hasMessageNotContaining("c2VjcmV0");
    }

    private TsigKey read(String text) throws Exception {
        Path file = folder.resolve("tsig.key");
        Files.writeString(file, text);
        return TsigKey.readBindKeyFile(file);
    }
}
