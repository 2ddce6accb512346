package dev.autocert4j.spi;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.StoreKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/**
 * Store key files: 32 random bytes in base64 (ASCII; whitespace and line breaks ignored), readable
 * by their owner only. A file is made 0600 in the open call, under a temporary name, synced, then
 * given its name; one that other users can read, or that holds anything but a key, is refused with
 * a message that says what is wrong and how to make a good one (never a decoder's own message).
 *
 * @since 0.2.0
 */
public final class StoreKeyFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private StoreKeyFiles() {
    }

    /**
     * Reads a key file.
     *
     * @param file a file holding 32 bytes in base64
     * @return the key
     * @throws InvalidInputException if the file cannot be read, other users can read or write it, or
     *                               it holds no key; the message says what is wrong and how to make one
     */
    public static StoreKey readFrom(Path file) {
        Objects.requireNonNull(file, "file");
        byte[] content;
        try {
            requireOwnerOnly(file);
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("store key file", file.toString(), "does not exist. "
                    + StoreKeyFileText.HOW_TO_MAKE_ONE);
        } catch (IOException e) {
            throw new InvalidInputException("store key file", file.toString(), "cannot be read: " + e.getMessage());
        }
        byte[] bytes = null;
        try {
            bytes = StoreKeyFileText.decode(content, StoreKey.LENGTH, file);
            return StoreKey.of(bytes);
        } finally {
            Arrays.fill(content, (byte) 0);
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /**
     * Makes a new random key and writes it to a new file, readable by the owner only from its first
     * instant.
     *
     * @param file where to write it; must not exist
     * @return the key
     * @throws InvalidInputException if the file exists or cannot be written
     */
    public static StoreKey createFile(Path file) {
        Objects.requireNonNull(file, "file");
        byte[] bytes = new byte[StoreKey.LENGTH];
        RANDOM.nextBytes(bytes);
        byte[] text = (Base64.getEncoder().encodeToString(bytes) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            OwnerOnlyFiles.createNew(file, text);
            return StoreKey.of(bytes);
        } catch (FileAlreadyExistsException e) {
            throw new InvalidInputException("store key file", file.toString(), "exists already; read it instead");
        } catch (IOException e) {
            throw new InvalidInputException("store key file", file.toString(), "cannot be written: " + e.getMessage());
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(text, (byte) 0);
        }
    }

    /**
     * Reads a key file, or makes it when it does not exist (two processes that start at once agree on
     * one key: the second reads what the first created).
     *
     * @param file the key file
     * @return the key
     * @throws InvalidInputException as {@link #readFrom} and {@link #createFile} do
     */
    public static StoreKey readOrCreate(Path file) {
        Objects.requireNonNull(file, "file");
        if (Files.exists(file)) {
            return readFrom(file);
        }
        try {
            return createFile(file);
        } catch (InvalidInputException e) {
            if (Files.exists(file)) {
                return readFrom(file); // another process created it first
            }
            throw e;
        }
    }

    private static void requireOwnerOnly(Path file) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix == null) {
            return;
        }
        Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
        if (OwnerOnlyFiles.othersCanUse(permissions)) {
            throw new InvalidInputException("store key file", file.toString(), "can be read or written by other users"
                    + " (mode " + PosixFilePermissions.toString(permissions) + "): the key would be theirs too. Make it"
                    + " the owner's only (chmod 600 " + file + ") and, if others may have read it, make a new key");
        }
    }
}
