package dev.autocert4j.pkcs12;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Writes files so that a crash at any moment leaves either the old or the new content: the bytes
 * go to a temporary file in the same folder, which is synced and then atomically renamed over the
 * target. Files are created 0600 and folders 0700 where the file system is POSIX.
 */
final class AtomicFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_FOLDER = PosixFilePermissions.fromString("rwx------");

    private AtomicFiles() {
    }

    /**
     * Creates a folder (and its parents) readable only by the owner, if it does not exist.
     *
     * @param folder the folder
     */
    static void createPrivateFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        if (POSIX) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_FOLDER));
            // Created 0700 (or narrower) in the mkdir call itself. Only a umask that took the owner's own
            // bits away is made good afterwards: that gives the owner back access and never opens it to others.
            if (!Files.getPosixFilePermissions(folder).equals(OWNER_FOLDER)) {
                Files.setPosixFilePermissions(folder, OWNER_FOLDER);
            }
        } else {
            Files.createDirectories(folder);
        }
    }

    /**
     * Replaces a file's content atomically.
     *
     * @param target  the file to write
     * @param content the new content
     */
    static void write(Path target, byte[] content) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Path temp = folder.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), ownerOnly())) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncFolder(folder);
    }

    /**
     * Removes temporary files a writer left behind when it died mid-save. Call only while holding
     * the folder's lock, so no live writer's file is removed.
     *
     * @param root the store folder
     */
    static void deleteLeftoverTemporaryFiles(Path root) throws IOException {
        for (Path folder : new Path[]{root, root.resolve("certificates"), root.resolve("accounts"), root.resolve("enrollments")}) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (var files = Files.newDirectoryStream(folder, ".*.tmp")) {
                for (Path leftover : files) {
                    Files.deleteIfExists(leftover);
                }
            }
        }
    }

    /**
     * Refuses a folder that another user owns or that other users may write: anyone who can write
     * there could swap certificates or plant links. A folder that does not exist yet passes (it is
     * created owner-only); so does every folder where the file system has no POSIX permissions.
     *
     * @param folder the store folder
     * @throws IOException saying what is wrong and how to fix it
     */
    static void requirePrivateFolder(Path folder) throws IOException {
        if (!POSIX || !Files.exists(folder)) {
            return;
        }
        String owner = Files.getOwner(folder).getName();
        String user = System.getProperty("user.name");
        if (!owner.equals(user)) {
            throw new IOException("it belongs to the user '" + owner + "', not to '" + user + "', who runs this program;"
                    + " give it to that user (chown " + user + " " + folder + ") or choose another folder");
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(folder);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("other users may write to it (permissions " + PosixFilePermissions.toString(permissions)
                    + "), so they could replace certificates; make it private (chmod 700 " + folder + ")");
        }
    }

    static FileAttribute<?>[] ownerOnly() {
        return POSIX ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_FILE)} : new FileAttribute<?>[0];
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename itself durable; not every platform can open a folder, which is fine. */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open folders as channels; the rename is still atomic there.
        }
    }
}
