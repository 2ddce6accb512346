package dev.autocert4j.pkcs12;

import dev.autocert4j.spi.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The store password kept in a file of its own: read when it exists, otherwise a random one made
 * and written there, readable by the owner only. Two processes starting together agree on one
 * password: the file appears complete or not at all, and the one that loses the race reads the
 * winner's.
 */
final class PasswordFile {

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordFile() {
    }

    /**
     * @param file the password file
     * @return its password, made on first use
     * @throws IOException if it cannot be read or written, is empty, or others can read it
     */
    static char[] readOrCreate(Path file) throws IOException {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? read(file) : create(file);
    }

    private static char[] read(Path file) throws IOException {
        return OwnerOnlyFiles.readSecret(file, "password file").toCharArray();
    }

    private static char[] create(Path file) throws IOException {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            OwnerOnlyFiles.createNew(file, (password + "\n").getBytes(StandardCharsets.UTF_8));
            return password.toCharArray();
        } catch (FileAlreadyExistsException raced) {
            return read(file); // another process got there first
        }
    }
}
