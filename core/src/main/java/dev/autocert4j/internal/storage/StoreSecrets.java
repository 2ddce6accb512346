package dev.autocert4j.internal.storage;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * What the store key does: encrypts values (AES-256-GCM, a fresh nonce per value, the entry the value
 * belongs to bound in as associated data, so a value copied into another entry does not decrypt), and
 * computes the seals of entries (HMAC-SHA256 under a key derived from the store key for that use
 * alone, so no two uses share key material).
 */
final class StoreSecrets {

    private static final String SEAL_PURPOSE = "autocert4j entry seal 1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte FORMAT = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec encryptionKey;
    private final SecretKeySpec sealKey;
    private final String fingerprint;

    /**
     * @param key         the store key's 32 bytes; copied, the caller clears them
     * @param fingerprint the store key's fingerprint, for messages
     */
    StoreSecrets(byte[] key, String fingerprint) {
        this.encryptionKey = new SecretKeySpec(key, "AES");
        byte[] derived = hmac(new SecretKeySpec(key, "HmacSHA256"), SEAL_PURPOSE.getBytes(StandardCharsets.UTF_8));
        try {
            this.sealKey = new SecretKeySpec(derived, "HmacSHA256");
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
        this.fingerprint = fingerprint;
    }

    /** @return the store key's fingerprint (not secret) */
    String fingerprint() {
        return fingerprint;
    }

    /**
     * @param plain   the value
     * @param context what the value belongs to, such as {@code "certificate:portal.example.com"}
     * @return format byte, nonce, ciphertext and tag
     */
    byte[] encrypt(byte[] plain, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(FORMAT).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * @param sealed  what {@link #encrypt} returned
     * @param context the entry it must belong to
     * @return the value
     * @throws GeneralSecurityException if it was encrypted with another key, for another entry, or altered
     */
    byte[] decrypt(byte[] sealed, String context) throws GeneralSecurityException {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != FORMAT) {
            throw new GeneralSecurityException("not a value this store encrypted");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    }

    /** @return the HMAC-SHA256 of the data under the seal key */
    byte[] seal(byte[] data) {
        return hmac(sealKey, data);
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
