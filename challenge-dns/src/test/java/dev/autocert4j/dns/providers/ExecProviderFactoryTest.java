package dev.autocert4j.dns.providers;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.NamedPlugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code exec} provider refuses a program it should not run before it ever runs it. */
class ExecProviderFactoryTest {

    @TempDir
    Path folder;

    private Path program(String permissions) throws Exception {
        Path program = Files.writeString(folder.resolve("hook"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString(permissions));
        return program;
    }

    private static Object create(Map<String, String> settings) {
        return NamedPlugins.create(DnsProviderFactory.class, "exec", settings, ExecProviderFactoryTest.class.getClassLoader());
    }

    @Test
    void aPrivateExecutableProgramIsTaken() throws Exception {
        Path program = program("rwx------");

        assertThat(create(Map.of("program", program.toString()))).hasToString("ExecProvider[" + program.toRealPath() + "]");
    }

    @Test
    void aProgramOthersMayChangeIsRefused() throws Exception {
        for (String permissions : new String[]{"rwxrwx---", "rwx---rwx", "rwxr-xrwx"}) {
            Path program = program(permissions);

            assertThatThrownBy(() -> create(Map.of("program", program.toString())))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("other users may change it (" + permissions + ")")
                    .hasMessageContaining("chmod go-w");
        }
    }

    @Test
    void aProgramInAFolderOthersMayWriteIsRefused() throws Exception {
        Path shared = Files.createDirectory(folder.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path program = Files.writeString(shared.resolve("hook"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));

        assertThatThrownBy(() -> create(Map.of("program", program.toString())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("other users may change its folder " + shared.toRealPath());
    }

    @Test
    void aLinkToAProgramOthersMayChangeIsRefused() throws Exception {
        Path program = program("rwxrwxrwx");
        Path link = Files.createSymbolicLink(folder.resolve("link"), program);

        assertThatThrownBy(() -> create(Map.of("program", link.toString())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("other users may change it");
    }

    @Test
    void aProgramOfAnotherUserIsRefused() throws Exception {
        Path program = program("rwx------");
        UserPrincipal nobody = program.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(program, nobody); // the tests run as root, as CI does

        assertThatThrownBy(() -> create(Map.of("program", program.toString())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("belongs to nobody");
    }

    @Test
    void aMissingRelativeOrNotExecutableProgramIsRefused() throws Exception {
        Path program = program("rw-------");

        assertThatThrownBy(() -> create(Map.of("program", program.toString())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not an executable file");
        assertThatThrownBy(() -> create(Map.of("program", folder.resolve("missing").toString())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> create(Map.of("program", "hook")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be an absolute path");
        assertThatThrownBy(() -> create(Map.of("program", folder.toString())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not an executable file");
        assertThatThrownBy(() -> create(Map.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("program is required by the exec plugin");
    }

    @Test
    void theTimeoutIsBoundedAndUnknownSettingsAreRefused() throws Exception {
        Path program = program("rwx------");

        assertThatThrownBy(() -> create(Map.of("program", program.toString(), "timeout-seconds", "0")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be between 1 and 3600");
        assertThatThrownBy(() -> create(Map.of("program", program.toString(), "timeout", "5")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not a setting of the exec plugin");
    }
}
