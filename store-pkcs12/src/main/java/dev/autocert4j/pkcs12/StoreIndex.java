package dev.autocert4j.pkcs12;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.spi.NamedThreads;
import dev.autocert4j.spi.OwnerOnlyFiles;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * {@code store.index}: what start-up needs from every certificate's metadata file and every
 * enrollment file, in one file, each entry with the stamp (size, modification time, identity) of
 * the file it was read from. Reading 10,000 certificates' files one by one costs seconds; asking
 * the file system for each file's stamp and reading this one file costs a fraction of that.
 *
 * <p>It is a cache and never the source of truth: an entry is used only while its file's stamp is
 * unchanged (every save replaces a file by a rename, which makes a new stamp), a stamp is taken
 * before its file is read (a file replaced in between gets the new stamp, so it is read again next
 * time), and only metadata that was trusted (its metadata file's HMAC right and naming the PKCS#12
 * file's SHA-256) is kept. The whole file carries an HMAC keyed from the store password, like each
 * metadata file. A missing, damaged, foreign or edited index is ignored and written anew; it may be
 * deleted at any time.
 *
 * <p>The entries in memory are also the store's cache between restarts' reads: a renewal check of
 * thousands of certificates asks the file system for each stamp and reads nothing else. Lookups
 * take no lock, so checks on several threads do not wait for each other.
 *
 * <p>Thread-safe.
 */
final class StoreIndex {

    static final String FILE_NAME = "store.index";
    private static final byte[] MAGIC = "autocert4j store index 2\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HMAC_LENGTH = 32;
    private static final int PARALLEL_HMAC_FROM_BYTES = 256 * 1024;

    private final Path file;
    private final KeySource key;
    private final Map<String, CertificateEntry> certificates = new ConcurrentHashMap<>();
    private final Map<String, EnrollmentEntry> enrollments = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    private volatile boolean changed;

    /** The HMAC key, derived from the store password when first needed. */
    interface KeySource {
        SecretKeySpec key() throws GeneralSecurityException;
    }

    /** What tells one version of a file from another without reading it. */
    record Stamp(long size, long modifiedNanos, String identity) {

        // written out: a record's generated equals is bootstrapped on first use, which a cold start pays for
        @Override
        public boolean equals(Object other) {
            return other instanceof Stamp that && size == that.size && modifiedNanos == that.modifiedNanos
                    && identity.equals(that.identity);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(size) * 31 + Long.hashCode(modifiedNanos) * 17 + identity.hashCode();
        }

        /**
         * @return the file's stamp, or {@code null} if it does not exist; where the file system gives
         *         files no identity (Windows), size and time alone tell versions apart
         */
        static Stamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return new Stamp(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                        String.valueOf(attributes.fileKey()));
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** Trusted metadata of a certificate and the stamp of its PKCS#12 file when it was read. */
    record CertificateEntry(Stamp pkcs12, CertificateMetadata metadata) {
    }

    /** An enrollment file's choices and its stamp when it was read. */
    record EnrollmentEntry(Stamp file, Map<String, String> choices) {
    }

    /**
     * @param root the store folder
     * @param key  the HMAC key
     */
    StoreIndex(Path root, KeySource key) {
        this.file = root.resolve(FILE_NAME);
        this.key = key;
    }

    /** @return the metadata kept for a domain, if its PKCS#12 file still has this stamp */
    CertificateMetadata certificate(String domain, Stamp pkcs12) {
        loadOnce();
        CertificateEntry entry = certificates.get(domain);
        return entry != null && entry.pkcs12().equals(pkcs12) ? entry.metadata() : null;
    }

    /** Keeps trusted metadata read from the files, with the PKCS#12 file's stamp taken before reading. */
    void putCertificate(String domain, Stamp pkcs12, CertificateMetadata metadata) {
        loadOnce();
        CertificateEntry previous = certificates.put(domain, new CertificateEntry(pkcs12, metadata));
        if (previous == null || !previous.pkcs12().equals(pkcs12) || !previous.metadata().equals(metadata)) {
            changed = true;
        }
    }

    void removeCertificate(String domain) {
        loadOnce();
        if (certificates.remove(domain) != null) {
            changed = true;
        }
    }

    /** @return the choices kept for an enrollment, if its file still has this stamp */
    Map<String, String> enrollment(String name, Stamp file) {
        loadOnce();
        EnrollmentEntry entry = enrollments.get(name);
        return entry != null && entry.file().equals(file) ? entry.choices() : null;
    }

    /** Keeps an enrollment file's choices, with its stamp taken before reading. */
    void putEnrollment(String name, Stamp file, Map<String, String> choices) {
        loadOnce();
        Map<String, String> kept = Collections.unmodifiableMap(new LinkedHashMap<>(choices));
        EnrollmentEntry previous = enrollments.put(name, new EnrollmentEntry(file, kept));
        if (previous == null || !previous.file().equals(file) || !previous.choices().equals(kept)) {
            changed = true;
        }
    }

    /** Forgets the enrollments whose files are gone. */
    void retainEnrollments(Collection<String> names) {
        loadOnce();
        if (enrollments.keySet().retainAll(names)) {
            changed = true;
        }
    }

    /**
     * Writes the index if anything changed since it was read or last written. A failure is no
     * failure of the store: the next start reads the files one by one again.
     */
    synchronized void writeIfChanged() {
        if (!changed) {
            return;
        }
        changed = false; // before reading the entries: a change made meanwhile is written next time
        try {
            OwnerOnlyFiles.replace(file, format());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // a cache that could not be written (a read-only folder, a full disk): the files stay the
            // truth; tried again at the next change rather than at every call
        }
    }

    private void loadOnce() {
        if (!loaded) {
            load();
        }
    }

    private synchronized void load() {
        if (loaded) {
            return;
        }
        try {
            parse(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            changed = true;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            changed = true; // damaged, edited or from another password: written anew
        } finally {
            loaded = true; // only now: until then, every other caller waits in load()
        }
    }

    /*
     * The file: MAGIC; the distinct strings (count, then each as length and UTF-8 bytes); the
     * certificate entries and the enrollment entries (count, then each), which name strings by their
     * number; the HMAC-SHA256 of all that. Binary, with every string once: thousands of entries share
     * CA, account, issuer and choice names, and reading it is mostly array copies.
     */

    private byte[] format() throws IOException, GeneralSecurityException {
        StringTable strings = new StringTable();
        ByteArrayOutputStream entriesBytes = new ByteArrayOutputStream(96 * (certificates.size() + enrollments.size()) + 16);
        DataOutputStream entries = new DataOutputStream(entriesBytes);
        entries.writeInt(certificates.size());
        for (Map.Entry<String, CertificateEntry> entry : certificates.entrySet()) {
            CertificateMetadata m = entry.getValue().metadata();
            entries.writeInt(strings.number(entry.getKey()));
            writeStamp(entries, strings, entry.getValue().pkcs12());
            entries.writeInt(m.names().size());
            for (String name : m.names()) {
                entries.writeInt(strings.number(name));
            }
            for (Instant instant : new Instant[]{m.issuedAt(), m.notBefore(), m.notAfter()}) {
                entries.writeLong(instant.getEpochSecond());
                entries.writeInt(instant.getNano());
            }
            entries.writeInt(strings.number(m.serialNumber()));
            entries.writeInt(strings.number(m.issuer()));
            entries.writeInt(strings.number(m.caDirectory() == null ? null : m.caDirectory().toString()));
            entries.writeInt(strings.number(m.accountLocation() == null ? null : m.accountLocation().toString()));
        }
        entries.writeInt(enrollments.size());
        for (Map.Entry<String, EnrollmentEntry> entry : enrollments.entrySet()) {
            entries.writeInt(strings.number(entry.getKey()));
            writeStamp(entries, strings, entry.getValue().file());
            entries.writeInt(entry.getValue().choices().size());
            for (Map.Entry<String, String> choice : entry.getValue().choices().entrySet()) {
                entries.writeInt(strings.number(choice.getKey()));
                entries.writeInt(strings.number(choice.getValue()));
            }
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream(entriesBytes.size() + 32 * strings.size() + 64);
        content.write(MAGIC);
        strings.writeTo(new DataOutputStream(content));
        entriesBytes.writeTo(content);
        content.write(hmac(content.toByteArray(), content.size()));
        return content.toByteArray();
    }

    private static void writeStamp(DataOutputStream out, StringTable strings, Stamp stamp) throws IOException {
        out.writeLong(stamp.size());
        out.writeLong(stamp.modifiedNanos());
        out.writeInt(strings.number(stamp.identity()));
    }

    private void parse(byte[] content) throws GeneralSecurityException {
        int length = content.length - HMAC_LENGTH;
        if (length < MAGIC.length || !Arrays.equals(content, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IllegalArgumentException("not an index");
        }
        // the HMAC of a large index is worked out on another core while this one reads the entries
        FutureTask<byte[]> expectedHmac = new FutureTask<>(() -> hmac(content, length));
        if (length > PARALLEL_HMAC_FROM_BYTES) {
            NamedThreads.start("autocert4j-store-index", expectedHmac);
        } else {
            expectedHmac.run();
        }
        Reader in = new Reader(content, MAGIC.length, length);
        Map<String, CertificateEntry> readCertificates = new HashMap<>();
        Map<String, EnrollmentEntry> readEnrollments = new HashMap<>();
        readEntries(in, readCertificates, readEnrollments);
        if (!MessageDigest.isEqual(await(expectedHmac), Arrays.copyOfRange(content, length, content.length))) {
            throw new IllegalArgumentException("the index's HMAC is wrong");
        }
        certificates.putAll(readCertificates);
        enrollments.putAll(readEnrollments);
    }

    private static void readEntries(Reader in, Map<String, CertificateEntry> certificates,
                                    Map<String, EnrollmentEntry> enrollments) {
        in.readStrings();
        Map<String, URI> uris = new HashMap<>(); // thousands of certificates share a few CAs and accounts
        for (int i = in.count(); i > 0; i--) {
            String domain = in.string();
            Stamp stamp = in.stamp();
            String[] names = new String[in.count()];
            for (int n = 0; n < names.length; n++) {
                names[n] = in.string();
            }
            CertificateMetadata metadata = CertificateMetadata.builder().domain(domain).names(Arrays.asList(names))
                    .issuedAt(in.instant()).notBefore(in.instant()).notAfter(in.instant())
                    .serialNumber(in.string()).issuer(in.string())
                    .caDirectory(uri(uris, in.string())).accountLocation(uri(uris, in.string()))
                    .build();
            certificates.put(domain, new CertificateEntry(stamp, metadata));
        }
        for (int i = in.count(); i > 0; i--) {
            String name = in.string();
            Stamp stamp = in.stamp();
            Map<String, String> choices = new LinkedHashMap<>();
            for (int c = in.count(); c > 0; c--) {
                choices.put(in.string(), in.string());
            }
            enrollments.put(name, new EnrollmentEntry(stamp, Collections.unmodifiableMap(choices)));
        }
        if (in.remaining() != 0) {
            throw new IllegalArgumentException("the index has trailing bytes");
        }
    }

    private static URI uri(Map<String, URI> parsed, String text) {
        return text == null ? null : parsed.computeIfAbsent(text, URI::create);
    }

    private static byte[] await(FutureTask<byte[]> task) throws GeneralSecurityException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GeneralSecurityException("interrupted while checking the index", e);
        } catch (ExecutionException e) {
            throw new GeneralSecurityException("cannot check the index: " + e.getCause(), e.getCause());
        }
    }

    private byte[] hmac(byte[] content, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key.key());
        mac.update(content, 0, length);
        return mac.doFinal();
    }

    /** Numbers each distinct string, in order of first use; {@code null} is -1. */
    private static final class StringTable {
        private final Map<String, Integer> numbers = new LinkedHashMap<>();

        int number(String text) {
            return text == null ? -1 : numbers.computeIfAbsent(text, t -> numbers.size());
        }

        int size() {
            return numbers.size();
        }

        void writeTo(DataOutputStream out) throws IOException {
            out.writeInt(numbers.size());
            for (String text : numbers.keySet()) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /** Reads the index's body; anything out of bounds (a damaged file) throws before the HMAC is compared. */
    private static final class Reader {
        private final byte[] content;
        private final ByteBuffer buffer;
        private String[] strings = new String[0];

        Reader(byte[] content, int from, int to) {
            this.content = content;
            this.buffer = ByteBuffer.wrap(content, from, to - from);
        }

        void readStrings() {
            strings = new String[count()];
            for (int i = 0; i < strings.length; i++) {
                int length = count();
                strings[i] = new String(content, buffer.position(), length, StandardCharsets.UTF_8);
                buffer.position(buffer.position() + length);
            }
        }

        /** A count or length, which cannot exceed the bytes left (so damage never allocates gigabytes). */
        int count() {
            int count = buffer.getInt();
            if (count < 0 || count > buffer.remaining()) {
                throw new IllegalArgumentException("a count of " + count + " in the index");
            }
            return count;
        }

        String string() {
            int number = buffer.getInt();
            return number == -1 ? null : strings[number];
        }

        Stamp stamp() {
            return new Stamp(buffer.getLong(), buffer.getLong(), string());
        }

        Instant instant() {
            return Instant.ofEpochSecond(buffer.getLong(), buffer.getInt());
        }

        int remaining() {
            return buffer.remaining();
        }
    }

    @Override
    public String toString() {
        return "StoreIndex[" + Objects.toString(file) + "]";
    }
}
