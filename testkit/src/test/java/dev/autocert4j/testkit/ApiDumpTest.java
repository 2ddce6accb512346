package dev.autocert4j.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiDumpTest {

    private final ExportedSignatures testkit = ExportedSignatures.ofModuleContaining(ApiDump.class);

    @TempDir
    Path folder;

    @Test
    void theTestKitsOwnApiIsTheOneCheckedIn() {
        ApiDump.assertUnchanged(testkit, "autocert4j-testkit");
    }

    @Test
    void declarationsShowModifiersGenericTypesAndThrownExceptions() {
        assertThat(testkit.declarations())
                .contains("dev.autocert4j.testkit.ApiDump: public final class ApiDump")
                .contains("dev.autocert4j.testkit.ApiDump: public static void assertUnchanged("
                        + "dev.autocert4j.testkit.ExportedSignatures, java.lang.String)")
                .contains("dev.autocert4j.testkit.ExportedSignatures: public java.util.List<java.lang.String> declarations()")
                .contains("dev.autocert4j.testkit.FileCreationTrace: public static dev.autocert4j.testkit.FileCreationTrace"
                        + " start() throws java.io.IOException")
                .noneMatch(line -> line.contains("apiFolder"));
    }

    @Test
    void aRemovedAndAnAddedDeclarationFailWithBothNamedAndHowToAccept() throws Exception {
        List<String> dump = new ArrayList<>(testkit.declarations());
        String removedFromTheCode = "dev.autocert4j.testkit.ApiDump: public static void oldMethod()";
        String addedToTheCode = dump.remove(dump.size() - 1);
        dump.add(removedFromTheCode);
        Path file = Files.write(folder.resolve("testkit.txt"), dump);

        assertThatThrownBy(() -> ApiDump.assertUnchanged(testkit, file))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("  - " + removedFromTheCode)
                .hasMessageContaining("  + " + addedToTheCode)
                .hasMessageContaining("-Dautocert4j.api.accept");
    }

    @Test
    void aMissingDumpFailsInsteadOfBeingWrittenQuietly() {
        Path file = folder.resolve("missing.txt");

        assertThatThrownBy(() -> ApiDump.assertUnchanged(testkit, file)).hasMessageContaining("There is no API dump");
        assertThat(file).doesNotExist();
    }
}
