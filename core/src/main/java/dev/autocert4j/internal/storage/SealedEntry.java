package dev.autocert4j.internal.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one format of every entry core keeps in a storage: kind, name, generation and text fields,
 * followed by a seal (HMAC-SHA256 under the store key) over the kind and name the reader asks for,
 * the generation and every field. Whoever writes without the store key cannot make a seal, so an
 * entry they edited, cut short, or copied to another name or kind does not verify; an older entry
 * copied back does verify, which is why {@link Entries} also compares its generation with the
 * highest it has seen. Every length is checked against what is left before anything is allocated.
 */
record SealedEntry(EntryKind kind, String name, long generation, Map<String, String> fields, byte[] seal) {

    private static final byte[] MAGIC = "ac4j".getBytes(StandardCharsets.US_ASCII);
    private static final byte FORMAT = 1;
    private static final String PURPOSE = "autocert4j entry 1";
    private static final int SEAL_BYTES = 32;
    private static final int MAX_FIELDS = 256;

    SealedEntry {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** @return the entry with its seal, made with the store key */
    static SealedEntry sealed(StoreSecrets secrets, EntryKind kind, String name, long generation,
                              Map<String, String> fields) {
        return new SealedEntry(kind, name, generation, fields, secrets.seal(sealedBytes(kind, name, generation, fields)));
    }

    /**
     * @return whether a holder of the store key wrote exactly this entry for this kind and name (the
     *         ones asked for, not the ones the entry claims)
     */
    boolean verifies(StoreSecrets secrets, EntryKind expectedKind, String expectedName) {
        return kind == expectedKind && name.equals(expectedName) && seal.length == SEAL_BYTES
                && MessageDigest.isEqual(seal, secrets.seal(sealedBytes(expectedKind, expectedName, generation, fields)));
    }

    /** @return the bytes the storage keeps */
    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(FORMAT);
            writeText(out, kind.name());
            writeText(out, name);
            out.writeLong(generation);
            writeFields(out, fields);
            out.writeShort(seal.length);
            out.write(seal);
        } catch (IOException e) {
            throw new IllegalStateException("a ByteArrayOutputStream does not fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param bytes what a storage returned; not trusted
     * @return the entry, not yet verified
     * @throws IOException if it is not an entry of this format (cut short, too long, another format)
     */
    static SealedEntry parse(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC) || in.readByte() != FORMAT) {
            throw new IOException("not an entry of this format");
        }
        EntryKind kind;
        try {
            kind = EntryKind.valueOf(readText(in));
        } catch (IllegalArgumentException e) {
            throw new IOException("an entry of an unknown kind");
        }
        String name = readText(in);
        long generation = in.readLong();
        int count = in.readUnsignedShort();
        if (count > MAX_FIELDS) {
            throw new IOException("too many fields");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String field = readText(in);
            String value = in.readBoolean() ? readText(in) : null;
            if (fields.containsKey(field)) {
                throw new IOException("field " + field + " twice");
            }
            fields.put(field, value);
        }
        byte[] seal = readBytes(in, in.readUnsignedShort());
        if (in.available() > 0) {
            throw new IOException("bytes after the seal");
        }
        return new SealedEntry(kind, name, generation, fields, seal);
    }

    /** Every value length-prefixed, so no two different entries encode alike. */
    private static byte[] sealedBytes(EntryKind kind, String name, long generation, Map<String, String> fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeText(out, PURPOSE);
            writeText(out, kind.name());
            writeText(out, name);
            out.writeLong(generation);
            writeFields(out, fields);
        } catch (IOException e) {
            throw new IllegalStateException("a ByteArrayOutputStream does not fail", e);
        }
        return bytes.toByteArray();
    }

    private static void writeFields(DataOutputStream out, Map<String, String> fields) throws IOException {
        if (fields.size() > MAX_FIELDS) {
            throw new IllegalArgumentException("an entry has at most " + MAX_FIELDS + " fields");
        }
        out.writeShort(fields.size());
        for (Map.Entry<String, String> field : fields.entrySet()) {
            writeText(out, field.getKey());
            out.writeBoolean(field.getValue() != null);
            if (field.getValue() != null) {
                writeText(out, field.getValue());
            }
        }
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readText(DataInputStream in) throws IOException {
        return new String(readBytes(in, in.readInt()), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in, int length) throws IOException {
        if (length < 0 || length > in.available()) {
            throw new IOException("cut short");
        }
        return in.readNBytes(length);
    }

    /** Names the entry only: fields may hold encrypted keys, which are not for logs. */
    @Override
    public String toString() {
        return "SealedEntry[" + kind + " " + name + ", generation " + generation + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedEntry that && kind == that.kind && name.equals(that.name)
                && generation == that.generation && fields.equals(that.fields) && Arrays.equals(seal, that.seal);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Long.hashCode(generation);
    }
}
