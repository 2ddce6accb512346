package dev.autocert4j.pkcs12;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/**
 * The store password kept in a file of its own: read when it exists, otherwise a random one made
 * and written there, readable by the owner only. Two processes starting together agree on one
 * password: the file appears complete or not at all, and the one that loses the race reads the
 * winner's.
 */
final class PasswordFile {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> READABLE_BY_OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ);

    private PasswordFile() {
    }

    /**
     * @param file the password file
     * @return its password, made on first use
     * @throws IOException if it cannot be read or written, is empty, or others can read it
     */
    static char[] readOrCreate(Path file) throws IOException {
        try {
            return read(file);
        } catch (NoSuchFileException e) {
            return create(file);
        }
    }

    private static char[] read(Path file) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null && posix.readAttributes().permissions().stream().anyMatch(READABLE_BY_OTHERS::contains)) {
            throw new IOException("the password file " + file + " is readable by other users; make it 0600");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IOException("the password file " + file + " is empty");
        }
        return text.toCharArray();
    }

    private static char[] create(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        AtomicFiles.createPrivateFolder(folder);
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path temp = folder.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), AtomicFiles.ownerOnly())) {
                channel.write(ByteBuffer.wrap((password + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.createLink(file, temp); // fails if another process got there first, unlike a rename
            return password.toCharArray();
        } catch (FileAlreadyExistsException raced) {
            return read(file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
