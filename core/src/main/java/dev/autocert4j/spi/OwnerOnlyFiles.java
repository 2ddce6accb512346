package dev.autocert4j.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
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
 * Secret files and their folders, for stores and other plugins that keep keys on disk: readable by
 * their owner only from their first instant, and never seen half-written.
 * <ul>
 *   <li>Files are created 0600 and folders 0700 in the call that creates them, never narrowed
 *       afterwards (another local user could open them in between).</li>
 *   <li>Content goes to a temporary file in the same folder ({@code .name.<random>.tmp}), is synced,
 *       then takes the file's name atomically, and the folder is synced: after a crash the name
 *       holds the old content or the new, never a part.</li>
 * </ul>
 * Where the file system has no POSIX permissions, files are written the same way, without modes.
 *
 * @since 0.2.0
 */
public final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final String TEMPORARY_SUFFIX = ".tmp";

    private OwnerOnlyFiles() {
    }

    /**
     * Creates a folder and its missing parents 0700 in the mkdir call; existing ones are left as they
     * are. Nothing is chmod-ed afterwards: a umask that takes the owner's own bits away is an error.
     *
     * @param folder the folder
     * @throws IOException if it cannot be created, or the umask left the owner without access to it
     */
    public static void createFolders(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        if (!posix(folder)) {
            Files.createDirectories(folder);
            return;
        }
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_FOLDER));
        if (!Files.getPosixFilePermissions(folder).containsAll(OWNER_FOLDER)) {
            throw new IOException("the umask took the owner's own permissions off " + folder
                    + "; run with a umask that keeps them, such as 077");
        }
    }

    /**
     * Writes a file, replacing it atomically if it exists; its folder is created first if needed.
     *
     * @param file    the file
     * @param content its whole new content
     * @throws IOException if it cannot be written; the file then keeps its old content
     */
    public static void replace(Path file, byte[] content) throws IOException {
        Path folder = folderOf(file);
        createFolders(folder);
        Path temporary = writeTemporary(folder, file.getFileName().toString(), content);
        try {
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncFolder(folder);
    }

    /**
     * Writes a new file, which must not exist, with all of its content or none; an existing file
     * is never replaced (a key someone else made stays).
     *
     * @param file    the file
     * @param content its content
     * @throws FileAlreadyExistsException if the file exists
     * @throws IOException                if it cannot be written
     */
    public static void createNew(Path file, byte[] content) throws IOException {
        Path folder = folderOf(file);
        createFolders(folder);
        Path temporary = writeTemporary(folder, file.getFileName().toString(), content);
        try {
            try {
                Files.createLink(file, temporary); // fails if the name is taken
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileAlreadyExistsException exists) {
                    throw exists;
                }
                if (Files.exists(file)) {
                    throw new FileAlreadyExistsException(file.toString());
                }
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncFolder(folder);
    }

    /**
     * Removes the temporary files a writer left in a folder when it died mid-write. Call it only
     * where no other writer can be at work (under the folder's lock).
     *
     * @param folder the folder; nothing happens if it does not exist
     * @throws IOException if it cannot be listed
     */
    public static void deleteTemporaryFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(folder, ".*" + TEMPORARY_SUFFIX)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    /**
     * Refuses a folder another user owns, or that other users may write: anyone who can write there
     * could swap files or plant links. A folder that does not exist yet passes, and so does every
     * folder of a file system without POSIX permissions.
     *
     * @param folder the folder
     * @throws IOException saying what is wrong and how to put it right
     */
    public static void requirePrivateFolder(Path folder) throws IOException {
        if (!Files.exists(folder) || !posix(folder)) {
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
                    + "), so they could replace what it holds; make it private (chmod 700 " + folder + ")");
        }
    }

    /**
     * @param permissions a file's or folder's permissions
     * @return whether they let the group or other users in at all
     */
    public static boolean othersCanUse(Set<PosixFilePermission> permissions) {
        return permissions.stream().anyMatch(OTHERS::contains);
    }

    /**
     * @param folder where a file is to be created
     * @return the attributes that create it 0600 there (none where the file system has no POSIX permissions)
     */
    public static FileAttribute<?>[] ownerOnlyFile(Path folder) {
        return posix(folder) ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
    }

    private static Path writeTemporary(Path folder, String name, byte[] content) throws IOException {
        Path temporary = folder.resolve("." + name + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
        try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), ownerOnlyFile(folder))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        return temporary;
    }

    private static Path folderOf(Path file) {
        return file.toAbsolutePath().getParent();
    }

    /** Makes the rename itself durable; not every platform can open a folder, which is fine. */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open folders as channels; the rename is still atomic there
        }
    }

    /**
     * Reads a secret the admin keeps in a file (a database password, a key), as UTF-8 text with
     * the white space around it stripped. The file must be a regular file of the user running this
     * program that no other user may read or change: a secret others can read is no longer one.
     *
     * @param file the file
     * @param what what it holds, for messages (e.g. "store password file"); the content is never in one
     * @return the secret
     * @throws IOException naming the file and saying what is wrong: missing, empty, not UTF-8, another
     *                     user's, or open to others (with the command that makes it private)
     */
    public static String readSecret(Path file, String what) throws IOException {
        requireSecretFile(file, what);
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString().strip();
            if (text.isEmpty()) {
                throw new IOException("the " + what + " " + file + " is empty");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new IOException("the " + what + " " + file + " is not UTF-8 text");
        }
    }

    /**
     * Refuses a secret file another user could read or change, as {@link #readSecret} does before
     * reading; for files whose content a library reads itself (a TSIG key file, a keystore).
     *
     * @param file the file
     * @param what what it holds, for messages
     * @throws IOException naming the file and saying what is wrong and how to put it right
     */
    public static void requireSecretFile(Path file, String what) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file)) {
            throw new IOException("the " + what + " " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("the " + what + " " + file + " is not a regular file");
        }
        if (!posix(file)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (othersCanUse(permissions)) {
            throw new IOException("the " + what + " " + file + " can be read or changed by other users ("
                    + PosixFilePermissions.toString(permissions) + "); make it private: chmod 600 " + file);
        }
        String owner = Files.getOwner(file).getName();
        String user = System.getProperty("user.name");
        if (user != null && !user.isEmpty() && !owner.equals(user)) {
            throw new IOException("the " + what + " " + file + " belongs to " + owner + ", not to " + user
                    + " who runs this program");
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
