package dev.autocert4j.jdbc;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.StoreKeyFiles;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The key that encrypts private keys (certificate keys and account keys) before they reach the
 * database: AES-256-GCM, a fresh nonce per value, and the row the value belongs to bound in as
 * associated data, so a value copied into another row does not decrypt. A database dump without
 * this key holds no usable private key. Every node of a cluster needs the same key.
 *
 * <p>A key file holds the 32 key bytes in base64 on one line; {@link #createFile(Path)} makes one
 * (0600). Keep it out of the database's backups.
 *
 * @since 0.2.0
 */
public final class StoreKey {

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte FORMAT = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String fingerprint;

    private StoreKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "AES");
        this.fingerprint = fingerprintOf(bytes);
    }

    /**
     * @param bytes 32 random bytes; copied
     * @return the key
     * @throws InvalidInputException if there are not 32 bytes
     */
    public static StoreKey of(byte[] bytes) {
        if (bytes == null || bytes.length != KEY_BYTES) {
            throw new InvalidInputException("store key", null, "must be " + KEY_BYTES + " bytes (AES-256)");
        }
        return new StoreKey(bytes.clone());
    }

    /**
     * Reads a key file.
     *
     * @param file a file {@link #createFile} wrote: 32 bytes in base64 (whitespace and line breaks are ignored)
     * @return the key
     * @throws InvalidInputException if the file cannot be read, others can read it, or it holds no key;
     *                               the message says what is wrong and how to make a key file
     */
    public static StoreKey readFrom(Path file) {
        return StoreKeyFiles.readFrom(file).withBytes(StoreKey::of);
    }

    /**
     * Makes a new random key and writes it to a new file, readable by the owner only: the file is
     * created 0600 (never wider, not even for an instant) under a temporary name in the same folder,
     * written, flushed, and then given its name, so that the name never shows a partial key.
     *
     * @param file where to write it; must not exist
     * @return the key
     * @throws InvalidInputException if the file exists or cannot be written
     */
    public static StoreKey createFile(Path file) {
        return StoreKeyFiles.createFile(file).withBytes(StoreKey::of);
    }

    /**
     * The same key as core's {@link dev.autocert4j.StoreKey}, for the sealed store on a {@link JdbcStorage}
     * in the same database (and its migration from this store's tables).
     *
     * @return core's key of the same bytes
     * @since 0.2.0
     */
    public dev.autocert4j.StoreKey toStoreKey() {
        byte[] bytes = key.getEncoded();
        try {
            return dev.autocert4j.StoreKey.of(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** @return a short, non-secret name of the key (part of its SHA-256), to tell keys apart in messages */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Encrypts a value for one row.
     *
     * @param plain the value
     * @param row   what the value belongs to, such as {@code "certificate:portal.example.com"}
     * @return format byte, nonce, ciphertext and tag
     */
    byte[] seal(byte[] plain, String row) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(row.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(FORMAT).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Decrypts a value {@link #seal} made for the same row.
     *
     * @param sealed what {@link #seal} returned
     * @param row    the row it must belong to
     * @return the value
     * @throws GeneralSecurityException if it was sealed with another key, for another row, or altered
     */
    byte[] open(byte[] sealed, String row) throws GeneralSecurityException {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != FORMAT) {
            throw new GeneralSecurityException("not a value this store sealed");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
        cipher.updateAAD(row.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    }

    /**
     * Derives a key for another use than encrypting values (HMAC-SHA256 of the purpose under this
     * key), so that no two uses share key material.
     *
     * @param purpose what the derived key is for, such as {@code "autocert4j row seal 1"}
     * @return 32 bytes; the caller clears them
     */
    byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
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
}
