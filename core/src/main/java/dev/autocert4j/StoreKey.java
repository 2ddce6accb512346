package dev.autocert4j;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret that protects what autocert4j keeps in a {@link dev.autocert4j.spi.Storage}: 32 random
 * bytes. Private keys are encrypted with it, and every stored entry is sealed with it together with
 * its name, kind and generation, so whoever can write to the storage without this key can delete
 * entries but not forge, swap or replay them. Every server sharing a storage needs the same key;
 * keep it out of the storage's backups. Immutable; its {@link #toString()} shows a fingerprint only.
 *
 * <p>A key file holds the 32 bytes in base64 (ASCII; whitespace and line breaks are ignored);
 * {@link dev.autocert4j.spi.StoreKeyFiles} reads one, and makes one created 0600 in the open call.
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

    /** @return a short, non-secret name of the key (part of its SHA-256), to tell keys apart in messages */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Hands a copy of the key's bytes to a store plugin that derives keys of its own from them (as
     * the JDBC store does), and wipes the copy when the function returns.
     *
     * @param use    what makes the plugin's key from the bytes; it must not keep the array
     * @param <T>    the plugin's key type
     * @return what {@code use} returned
     */
    public <T> T withBytes(java.util.function.Function<byte[], T> use) {
        byte[] copy = copyOfBytes();
        try {
            return use.apply(copy);
        } finally {
            java.util.Arrays.fill(copy, (byte) 0);
        }
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
}
