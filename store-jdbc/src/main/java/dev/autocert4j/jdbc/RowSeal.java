package dev.autocert4j.jdbc;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The seal of a stored row: an HMAC-SHA256, under a key derived from the {@link StoreKey} for this
 * use alone, over the row's kind, its name, its generation and every field that drives a decision.
 * Whoever writes to the database without the store key cannot make a seal, so a row they edited,
 * truncated, or copied to another name (or kind) does not verify; an older row copied back does
 * verify, which is why the reader also compares its generation with the highest it has seen.
 */
final class RowSeal {

    /** What a row is; part of the seal, so a row of one kind never passes for another. */
    enum Kind {
        CERTIFICATE, ENROLLMENT, ACCOUNT, TOKEN
    }

    private static final String PURPOSE = "autocert4j row seal 1";
    private static final byte FORMAT = 1;
    /** Format byte and the HMAC-SHA256. */
    static final int LENGTH = 1 + 32;

    private final SecretKeySpec macKey;

    RowSeal(StoreKey key) {
        byte[] derived = key.derive(PURPOSE);
        try {
            this.macKey = new SecretKeySpec(derived, "HmacSHA256");
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    /**
     * @param fields the row's fields in a fixed order: {@code String}, {@code byte[]} or {@code null}
     * @return the seal to store with the row
     */
    byte[] seal(Kind kind, String name, long generation, Object... fields) {
        byte[] mac = mac(kind, name, generation, fields);
        byte[] seal = new byte[LENGTH];
        seal[0] = FORMAT;
        System.arraycopy(mac, 0, seal, 1, mac.length);
        return seal;
    }

    /** @return whether the seal was made by a holder of the store key for exactly this row */
    boolean verifies(byte[] seal, Kind kind, String name, long generation, Object... fields) {
        if (seal == null || seal.length != LENGTH || seal[0] != FORMAT) {
            return false;
        }
        return MessageDigest.isEqual(Arrays.copyOfRange(seal, 1, LENGTH), mac(kind, name, generation, fields));
    }

    private byte[] mac(Kind kind, String name, long generation, Object... fields) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(macKey);
            return mac.doFinal(encode(kind, name, generation, fields));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Every value length-prefixed, so no two different rows encode alike. */
    private static byte[] encode(Kind kind, String name, long generation, Object... fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, PURPOSE.getBytes(StandardCharsets.UTF_8));
            write(out, kind.name().getBytes(StandardCharsets.UTF_8));
            write(out, name.getBytes(StandardCharsets.UTF_8));
            out.writeLong(generation);
            out.writeInt(fields.length);
            for (Object field : fields) {
                if (field == null) {
                    out.writeByte('n');
                } else if (field instanceof byte[] raw) {
                    out.writeByte('b');
                    write(out, raw);
                } else if (field instanceof String text) {
                    out.writeByte('s');
                    write(out, text.getBytes(StandardCharsets.UTF_8));
                } else {
                    throw new IllegalArgumentException("a sealed field is text or bytes, not " + field.getClass());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("a ByteArrayOutputStream does not fail", e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }
}
