package dev.autocert4j.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileCreationTraceTest {

    @TempDir
    Path folder;

    @Test
    void aFileCreatedOwnerOnlyInItsOpenCallPasses() throws Exception {
        Path secret = folder.resolve("secret");
        try (FileCreationTrace trace = FileCreationTrace.start()) {
            Files.createFile(secret, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            var events = trace.stop().assertOwnerOnlyUnder(folder);
            assertThat(events).extracting(FileCreationTrace.Event::path).contains(secret);
            assertThat(events).allMatch(event -> event.mode() == 0600);
        }
    }

    @Test
    void aFileCreatedWithTheUmasksModeIsCaughtEvenWhenNarrowedAfterwards() throws Exception {
        Path secret = folder.resolve("secret");
        try (FileCreationTrace trace = FileCreationTrace.start()) {
            Files.writeString(secret, "key");
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            var events = trace.stop();
            assertThatThrownBy(() -> events.assertOwnerOnlyUnder(folder))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("FILE_CREATED " + secret + " 0666")
                    .hasMessageContaining("MODE_CHANGED " + secret + " 0600");
        }
    }

    @Test
    void aFolderOpenToOthersIsCaught() throws Exception {
        Path shared = folder.resolve("shared");
        try (FileCreationTrace trace = FileCreationTrace.start()) {
            Files.createDirectory(shared);
            var events = trace.stop();
            assertThatThrownBy(() -> events.assertOwnerOnlyUnder(folder))
                    .hasMessageContaining("FOLDER_CREATED " + shared + " 0777");
        }
    }

    @Test
    void aTraceOfNothingProvesNothingAndFails() throws Exception {
        try (FileCreationTrace trace = FileCreationTrace.start()) {
            var events = trace.stop();
            assertThatThrownBy(() -> events.assertOwnerOnlyUnder(folder)).hasMessageContaining("nothing was created");
        }
    }

    @Test
    void aCallStraceSplitAcrossThreadsIsReadWhateverThePaddingBeforeItsResult() {
        var events = FileCreationTrace.read(java.util.List.of(
                "28042 mkdir(\"/tmp/t/s6\", 0700 <unfinished ...>",
                "28043 openat(AT_FDCWD</w>, \"/tmp/other\", O_RDONLY) = 5</tmp/other>",
                "28042 <... mkdir resumed>)              = 0",
                "28042 openat(AT_FDCWD</w>, \"/tmp/t/s6/.a.tmp\", O_WRONLY|O_CREAT|O_EXCL <unfinished ...>",
                "28042 <... openat resumed>, 0600)   = 94</tmp/t/s6/.a.tmp>")).all();

        assertThat(events).extracting(Object::toString)
                .containsExactly("FOLDER_CREATED /tmp/t/s6 0700", "FILE_CREATED /tmp/t/s6/.a.tmp 0600");
    }

    @Test
    void aShortCallWhoseResultStraceAlignsWithSpacesIsRead() {
        var events = FileCreationTrace.read(java.util.List.of(
                "28042 mkdir(\"/t/a\", 0700)                   = 0",
                "28042 chmod(\"/t/a\", 0755)                   = 0")).all();

        assertThat(events).extracting(Object::toString)
                .containsExactly("FOLDER_CREATED /t/a 0700", "MODE_CHANGED /t/a 0755");
    }
}
