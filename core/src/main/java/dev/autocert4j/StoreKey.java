package dev.autocert4j;

import dev.autocert4j.spi.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * The secret that protects what autocert4j keeps in a {@link dev.autocert4j.spi.Storage}: 32 random
 * bytes. Private keys are encrypted with it, and every stored entry is sealed with it together with
 * its name, kind and generation, so whoever can write to the storage without this key can delete
 * entries but not forge, swap or replay them. Every server sharing a storage needs the same key;
 * keep it out of the storage's backups. Immutable; its {@link #toString()} shows a fingerprint only.
 *
 * <p>A key file holds the 32 bytes in base64 (ASCII; whitespace and line breaks are ignored);
 * {@link #createFile} makes one, created 0600 in the open call.
 *
 * @since 0.2.0
 */
public final class StoreKey {

    /** The length of a key, in bytes. */
    public static final int LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private final String fingerprint;

    private StoreKey(byte[] bytes) {
        this.bytes = bytes;
        this.fingerprint = fingerprintOf(bytes);
    }

    /** @return a new random key */
    public static StoreKey generate() {
        byte[] bytes = new byte[LENGTH];
        RANDOM.nextBytes(bytes);
        return new StoreKey(bytes);
    }

    /**
     * @param bytes 32 random bytes; copied, so the caller may clear them
     * @return the key
     * @throws InvalidInputException if there are not 32 bytes
     */
    public static StoreKey of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new InvalidInputException("store key", null, "must be " + LENGTH + " bytes");
        }
        return new StoreKey(bytes.clone());
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
        try {
            return new StoreKey(StoreKeyFileText.decode(content, LENGTH, file));
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /**
     * Makes a new random key and writes it to a new file, readable by the owner only: created 0600
     * in the open call under a temporary name, written, synced, then given its name.
     *
     * @param file where to write it; must not exist
     * @return the key
     * @throws InvalidInputException if the file exists or cannot be written
     */
    public static StoreKey createFile(Path file) {
        Objects.requireNonNull(file, "file");
        StoreKey key = generate();
        byte[] text = (Base64.getEncoder().encodeToString(key.bytes) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            OwnerOnlyFiles.createNew(file, text);
            return key;
        } catch (FileAlreadyExistsException e) {
            throw new InvalidInputException("store key file", file.toString(), "exists already; read it instead");
        } catch (IOException e) {
            throw new InvalidInputException("store key file", file.toString(), "cannot be written: " + e.getMessage());
        } finally {
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

    /** @return a short, non-secret name of the key (part of its SHA-256), to tell keys apart in messages */
    public String fingerprint() {
        return fingerprint;
    }

    /** @return a copy of the key's bytes, for the store built on it; the caller clears it */
    byte[] copyOfBytes() {
        return bytes.clone();
    }

    /** Two keys are equal when their bytes are (compared in constant time). */
    @Override
    public boolean equals(Object other) {
        return other instanceof StoreKey that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "StoreKey[" + fingerprint + "]";
    }

    private static String fingerprintOf(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
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
