package dev.autocert4j.examples;

import dev.autocert4j.spi.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The demo's secret files (admin token, store password, keystore password, TSIG key): read only
 * when no other user can read or change them, and made readable by their owner from their first
 * instant (mode 0600 given in the call that creates them, folders 0700), never narrowed afterwards.
 */
final class SecretFiles {

    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private SecretFiles() {
    }

    /** @return the attribute that creates a file readable and writable by its owner only */
    static FileAttribute<Set<PosixFilePermission>> ownerOnlyFile() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }

    /** @return the attribute that creates a folder its owner only can enter */
    static FileAttribute<Set<PosixFilePermission>> ownerOnlyFolder() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    }

    /**
     * Reads a secret from a file as UTF-8 text, its surrounding white space stripped.
     *
     * @param file what the option or the default names
     * @param what what the file holds, for messages ("store password file")
     * @return the secret
     * @throws IOException naming the file, when it is missing, empty, not UTF-8, not the user's own,
     *                     or other users can read or change it
     */
    static String read(Path file, String what) throws IOException {
        return OwnerOnlyFiles.readSecret(file, what);
    }

    /**
     * Refuses a secret file that another user could read or change: group or others may read or
     * write it, or it belongs to another user.
     *
     * @throws IOException naming the file and saying how to make it private
     */
    static void requireOwnerOnly(Path file, String what) throws IOException {
        OwnerOnlyFiles.requireSecretFile(file, what);
    }

    /**
     * Refuses a folder that holds secrets when another user could put, swap or delete files in it.
     *
     * @throws IOException naming the folder
     */
    static void requireNotWritableByOthers(Path folder, String what) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(folder);
        } catch (UnsupportedOperationException e) {
            return;
        }
        if (permissions.stream().anyMatch(WRITABLE_BY_OTHERS::contains)) {
            throw new IOException("the " + what + " " + folder + " can be changed by other users ("
                    + PosixFilePermissions.toString(permissions) + "); make it private: chmod 700 " + folder);
        }
    }

    /**
     * Creates a secret file with its whole content, readable by its owner from the first instant:
     * written to a temporary file created 0600, then linked in place, so the file appears complete
     * or not at all, and of two processes creating it together one wins.
     *
     * @return whether this call created it ({@code false}: it already existed, the content is not written)
     * @throws IOException if it cannot be written
     */
    static boolean createOwnerOnly(Path file, String content) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder, ownerOnlyFolder());
        Path temp = folder.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), ownerOnlyFile())) {
                channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.createLink(file, temp); // fails when the file exists, unlike a rename
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
