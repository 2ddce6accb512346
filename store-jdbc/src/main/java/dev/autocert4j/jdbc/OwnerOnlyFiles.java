package dev.autocert4j.jdbc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Secret files and their folders, made readable by their owner only from their first instant: files
 * are created 0600 and folders 0700 in the call that creates them (never narrowed afterwards), and
 * written under a temporary name, flushed, then given their name, so the name never shows a partial
 * file. On a file system without POSIX permissions the files are written the same way, without modes.
 */
final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnlyFiles() {
    }

    /** @return whether a mode lets the group or other users in at all */
    static boolean othersCanUse(Set<PosixFilePermission> permissions) {
        return permissions.stream().anyMatch(OTHERS::contains);
    }

    /**
     * Creates a folder and its missing parents 0700 (existing ones are left as they are).
     *
     * @param folder the folder
     */
    static void createFolders(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        if (posix(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(folder);
        }
    }

    /**
     * Writes a new file, which must not exist, with all of its content or none.
     *
     * @throws FileAlreadyExistsException if the file exists
     */
    static void createNew(Path file, byte[] content) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        createFolders(folder);
        Path temp = writeTemporary(folder, file.getFileName().toString(), content);
        try {
            try {
                Files.createLink(file, temp); // fails if the name is taken: never replaces an existing key
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileAlreadyExistsException exists) {
                    throw exists;
                }
                if (Files.exists(file)) {
                    throw new FileAlreadyExistsException(file.toString());
                }
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes a file, replacing it atomically if it exists. */
    static void replace(Path file, byte[] content) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        createFolders(folder);
        Path temp = writeTemporary(folder, file.getFileName().toString(), content);
        try {
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path writeTemporary(Path folder, String name, byte[] content) throws IOException {
        Path temp = folder.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SYNC);
        FileAttribute<?>[] ownerOnly = posix(folder)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try (SeekableByteChannel channel = Files.newByteChannel(temp, options, ownerOnly)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
