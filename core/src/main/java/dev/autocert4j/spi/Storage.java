package dev.autocert4j.spi;

import dev.autocert4j.CertificateStores;
import dev.autocert4j.RenewalLock;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A place that keeps bytes by key: what a store plugin implements (a folder, a database, a cloud
 * bucket). It knows nothing of certificates; autocert4j owns every format above the bytes, seals
 * what it writes with the store key and checks everything it reads back, so a storage need not be
 * trusted with anything but keeping bytes (someone who can write to it can delete, nothing more).
 * {@code CertificateStores.onStorage(storage, key)} makes the certificate store on top of one.
 *
 * <p>The contract, in plain words (the test kit's {@code StorageContract} checks it):
 * <ul>
 *   <li><b>keys</b> are {@code /}-separated segments of the letters {@code a-z A-Z}, digits and
 *       {@code . _ -}; no segment is empty or starts with a dot (so no {@code ..}), at most
 *       {@value #MAX_KEY_LENGTH} characters in all. Every method refuses any other key with an
 *       {@link IllegalArgumentException} ({@link #requireValidKey}) before touching anything;</li>
 *   <li>{@link #get} returns exactly the bytes of the last successful write of the key, or nothing;
 *       a write is atomic: a reader sees the old bytes or the new ones, never a mix or a part, also
 *       after a crash;</li>
 *   <li>every stored value has a <b>version</b>, an opaque text the storage chooses, which changes
 *       whenever the key's bytes change (a hash of the bytes will do); {@link #putIfUnchanged} and
 *       {@link #putIfAbsent} write only if the key is still as the caller saw it, so of several
 *       writers that race, exactly one wins;</li>
 *   <li>{@link #list} returns the keys that start with a prefix, {@link #stat} a value's size, version
 *       and time of writing without reading it;</li>
 *   <li>a failure to reach or change the storage is a {@link StorageException}; a missing key is never
 *       one;</li>
 *   <li>implementations are thread-safe.</li>
 * </ul>
 * Two parts are optional and have defaults that say what a storage of one process does: a lock
 * with a lease per name for storages several servers share ({@link #locks()}), and a change feed
 * ({@link #watch}). No method throws "not supported".
 *
 * @since 0.2.0
 */
public interface Storage {

    /** The longest key, in characters. */
    int MAX_KEY_LENGTH = 512;

    /**
     * Reads a value.
     *
     * @param key the key
     * @return its bytes and version, if it is stored
     * @throws StorageException if the storage cannot be read
     */
    Optional<Value> get(String key);

    /**
     * Writes a value, replacing any earlier one, atomically.
     *
     * @param key   the key
     * @param value the bytes; not kept by reference
     * @return the version of what was written
     * @throws StorageException if it cannot be written; what was stored before is unchanged
     */
    String put(String key, byte[] value);

    /**
     * Writes a value only if the key holds none, atomically (a compare-and-set on absence).
     *
     * @param key   the key
     * @param value the bytes
     * @return the version of what was written, or empty if the key holds a value (nothing is written)
     * @throws StorageException if it cannot be written
     */
    Optional<String> putIfAbsent(String key, byte[] value);

    /**
     * Writes a value only if the key still holds the version the caller read, atomically (a
     * compare-and-set): of several writers that read the same version, exactly one succeeds.
     *
     * @param key             the key
     * @param value           the bytes
     * @param expectedVersion the version {@link #get} or {@link #stat} returned
     * @return the version of what was written, or empty if the key holds another version or none
     * @throws StorageException if it cannot be written
     */
    Optional<String> putIfUnchanged(String key, byte[] value, String expectedVersion);

    /**
     * Deletes a value. Deleting what is not there does nothing.
     *
     * @param key the key
     * @return whether there was a value
     * @throws StorageException if it cannot be deleted
     */
    boolean delete(String key);

    /**
     * Lists keys.
     *
     * @param prefix the start of the keys to list, such as {@code "certificates/"}; empty for all
     * @return every stored key that starts with it, sorted
     * @throws StorageException if the storage cannot be read
     */
    List<String> list(String prefix);

    /**
     * Describes a value without reading it.
     *
     * @param key the key
     * @return its size, version and time of writing, if it is stored
     * @throws StorageException if the storage cannot be read
     */
    Optional<Stat> stat(String key);

    /**
     * Returns the locks that let one server at a time work on a name when several share this
     * storage. A storage of one process has none (the default), and autocert4j then uses
     * {@link RenewalLock#local()}. A shared storage's leases should run on a clock all servers share
     * (a database's, not each node's own).
     *
     * @return the storage's locks, if it is shared
     */
    default Optional<RenewalLock> locks() {
        return Optional.empty();
    }

    /**
     * Asks to be told when another process writes or deletes a key, so that a certificate renewed by
     * one server of a cluster is installed on the others. The default never tells: a storage of one
     * process has no one else writing.
     *
     * @param changed called with the key, on a thread of the storage's; it must return quickly
     * @return what stops the watching when closed
     */
    default AutoCloseable watch(Consumer<String> changed) {
        return () -> { };
    }

    /**
     * Checks a key against the contract's alphabet.
     *
     * @param key a key
     * @return the key
     * @throws IllegalArgumentException naming what is wrong with it
     */
    static String requireValidKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("a storage key has 1 to " + MAX_KEY_LENGTH + " characters, not "
                    + key.length());
        }
        for (String segment : key.split("/", -1)) {
            if (!StorageKeyAlphabet.SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("storage key '" + StorageKeyAlphabet.printable(key) + "' has a segment that is"
                        + " empty, starts with a dot, or holds a character outside a-z A-Z 0-9 . _ -");
            }
        }
        return key;
    }

    /**
     * Checks a prefix for {@link #list}: empty, or a valid key, or a valid key followed by {@code /}.
     *
     * @param prefix a prefix
     * @return the prefix
     * @throws IllegalArgumentException if it is none of those
     */
    static String requireValidPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.isEmpty()) {
            requireValidKey(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        }
        return prefix;
    }

    /** A stored value with its version. Immutable. */
    final class Value {
        private final byte[] bytes;
        private final String version;

        /**
         * @param bytes   the value; copied
         * @param version its version
         */
        public Value(byte[] bytes, String version) {
            this.bytes = Objects.requireNonNull(bytes, "bytes").clone();
            this.version = Objects.requireNonNull(version, "version");
        }

        /** @return a copy of the bytes */
        public byte[] bytes() {
            return bytes.clone();
        }

        /** @return the version to give {@link Storage#putIfUnchanged} */
        public String version() {
            return version;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Value that && version.equals(that.version) && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * version.hashCode() + Arrays.hashCode(bytes);
        }

        /** Shows the size and version, never the bytes (a value may be a sealed secret). */
        @Override
        public String toString() {
            return "Value[" + bytes.length + " bytes, version " + version + "]";
        }
    }

    /** What {@link Storage#stat} says of a value. Immutable. */
    final class Stat {
        private final long size;
        private final String version;
        private final Instant modified;

        /**
         * @param size     the value's length in bytes
         * @param version  its version
         * @param modified when it was written
         */
        public Stat(long size, String version, Instant modified) {
            this.size = size;
            this.version = Objects.requireNonNull(version, "version");
            this.modified = Objects.requireNonNull(modified, "modified");
        }

        /** @return the value's length in bytes */
        public long size() {
            return size;
        }

        /** @return its version, the same {@link Storage#get} gives */
        public String version() {
            return version;
        }

        /** @return when it was written */
        public Instant modified() {
            return modified;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Stat that && size == that.size && version.equals(that.version)
                    && modified.equals(that.modified);
        }

        @Override
        public int hashCode() {
            return Objects.hash(size, version, modified);
        }

        @Override
        public String toString() {
            return "Stat[" + size + " bytes, version " + version + ", modified " + modified + "]";
        }
    }
}
