package dev.autocert4j.pkcs12;

import dev.autocert4j.spi.OwnerOnlyFiles;
import dev.autocert4j.spi.Storage;
import dev.autocert4j.spi.StorageException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Storage} in a folder on disk: each value is one file, created 0600 in the open call and
 * written atomically (a synced temporary file renamed over the old one), in folders created 0700.
 * A key's segments become folders ending in {@code .d} and its last segment a file ending in
 * {@code .entry}, inside one of 256 shard folders named by the first two hex digits of the
 * SHA-256 of that last segment ({@code certificates/portal.example.com} is
 * {@code certificates.d/4b/portal.example.com.entry}), so that 100,000 certificates make folders
 * of a few hundred files rather than one of 100,000. No two keys share a path, and since a key has
 * no empty segment and none that starts with a dot, no key leads out of the folder. A value's
 * version is the SHA-256 of its bytes.
 *
 * <p>A folder written in the earlier flat layout ({@code certificates.d/portal.example.com.entry})
 * is moved to the sharded one once, at its first use, by {@link FlatLayoutMigration}.
 *
 * <p>Every write, compare-and-set and delete holds the folder's lock ({@code .lock}, across threads
 * and processes), so several processes can share one folder; reads need no lock. A folder owned by
 * another user, or that other users may write to, is refused. Thread-safe.
 *
 * @since 0.2.0
 */
public final class FolderStorage implements Storage {

    private static final String FILE_SUFFIX = ".entry";
    private static final String FOLDER_SUFFIX = ".d";
    /** One digest per thread: a listing hashes the name of every file it finds to check its shard. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    private final Path root;
    private volatile boolean rootChecked;
    private volatile boolean layoutChecked;
    private final FileStamps stamps;

    /**
     * Opens a folder; nothing is read or created until it is used.
     *
     * @param root the folder; created 0700 at the first write
     */
    public FolderStorage(Path root) {
        this(root, Clock.systemUTC());
    }

    /** As above, with the clock that says when a file has been unchanged long enough for its stamp to be trusted. */
    FolderStorage(Path root, Clock clock) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.stamps = new FileStamps(clock);
    }

    /** @return the folder */
    public Path root() {
        return root;
    }

    /**
     * @param key a valid key
     * @return the file that holds its value
     */
    public Path fileOf(String key) {
        String[] segments = Storage.requireValidKey(key).split("/");
        Path path = root;
        for (int i = 0; i < segments.length - 1; i++) {
            path = path.resolve(segments[i] + FOLDER_SUFFIX);
        }
        String last = segments[segments.length - 1];
        return path.resolve(shardOf(last)).resolve(last + FILE_SUFFIX);
    }

    /**
     * @param segment a key's last segment
     * @return the shard folder its file is kept in: the first two hex digits of the SHA-256 of its UTF-8 bytes
     */
    static String shardOf(String segment) {
        return HexFormat.of().toHexDigits(sha256(segment.getBytes(StandardCharsets.UTF_8))[0]);
    }

    @Override
    public Optional<Value> get(String key) {
        Path file = fileOf(key);
        return read(file).map(bytes -> new Value(bytes, versionOf(bytes)));
    }

    @Override
    public String put(String key, byte[] value) {
        Path file = fileOf(key);
        Objects.requireNonNull(value, "value");
        locked(key, () -> OwnerOnlyFiles.replace(file, value));
        return versionOf(value);
    }

    @Override
    public Optional<String> putIfAbsent(String key, byte[] value) {
        Path file = fileOf(key);
        Objects.requireNonNull(value, "value");
        boolean[] written = {false};
        locked(key, () -> {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                OwnerOnlyFiles.replace(file, value);
                written[0] = true;
            }
        });
        return written[0] ? Optional.of(versionOf(value)) : Optional.empty();
    }

    @Override
    public Optional<String> putIfUnchanged(String key, byte[] value, String expectedVersion) {
        Path file = fileOf(key);
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        boolean[] written = {false};
        locked(key, () -> {
            Optional<byte[]> current = read(file);
            if (current.isPresent() && versionOf(current.get()).equals(expectedVersion)) {
                OwnerOnlyFiles.replace(file, value);
                written[0] = true;
            }
        });
        return written[0] ? Optional.of(versionOf(value)) : Optional.empty();
    }

    @Override
    public boolean delete(String key) {
        Path file = fileOf(key);
        boolean[] deleted = {false};
        locked(key, () -> deleted[0] = Files.deleteIfExists(file));
        return deleted[0];
    }

    @Override
    public List<String> list(String prefix) {
        Storage.requireValidPrefix(prefix);
        requireSafeRoot();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        requireLayout();
        Path start = folderOfPrefix(prefix);
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    // the walk's own attributes, read without following links: one call per file
                    if (attributes.isRegularFile() && file.getFileName().toString().endsWith(FILE_SUFFIX)) {
                        keyOf(file).filter(key -> key.startsWith(prefix)).ifPresent(keys::add);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException("Cannot list the folder " + root + ": " + e.getMessage(), e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public Optional<Stat> stat(String key) {
        Path file = fileOf(key);
        requireSafeRoot();
        requireLayout();
        try {
            Optional<Stat> unchanged = stamps.statIfUnchanged(file);
            if (unchanged.isPresent()) {
                return unchanged;
            }
            Optional<FileStamps.Stamp> before = stamps.stamp(file);
            Optional<byte[]> bytes = read(file);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            String version = versionOf(bytes.get());
            stamps.read(file, before, version);
            return Optional.of(new Stat(bytes.get().length, version, Files.getLastModifiedTime(file).toInstant()));
        } catch (NoSuchFileException e) {
            stamps.forget(file);
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return the folder every key that starts with the prefix is under: that of its whole segments */
    private Path folderOfPrefix(String prefix) {
        Path folder = root;
        int end = prefix.lastIndexOf('/');
        if (end > 0) {
            for (String segment : prefix.substring(0, end).split("/")) {
                folder = folder.resolve(segment + FOLDER_SUFFIX);
            }
        }
        return folder;
    }

    /** @return the key a file stands for, if it is a file this storage wrote, where it writes it */
    private Optional<String> keyOf(Path file) {
        Path relative = root.relativize(file);
        int count = relative.getNameCount();
        if (count < 2) {
            return Optional.empty();
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < count - 2; i++) {
            String name = relative.getName(i).toString();
            if (!name.endsWith(FOLDER_SUFFIX)) {
                return Optional.empty();
            }
            key.append(name, 0, name.length() - FOLDER_SUFFIX.length()).append('/');
        }
        String fileName = relative.getName(count - 1).toString();
        if (!fileName.endsWith(FILE_SUFFIX)) {
            return Optional.empty();
        }
        key.append(fileName, 0, fileName.length() - FILE_SUFFIX.length());
        try {
            return Optional.of(Storage.requireValidKey(key.toString()))
                    .filter(valid -> relative.getName(count - 2).toString().equals(shardOf(lastSegment(valid))));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a file someone else put there
        }
    }

    private Optional<byte[]> read(Path file) {
        requireSafeRoot();
        requireLayout();
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void locked(String key, FolderLock.LockedWork work) {
        requireSafeRoot();
        try {
            if (!layoutChecked) {
                OwnerOnlyFiles.createFolders(root);
                requireLayout();
            }
            FolderLock.whileLocked(root, work);
        } catch (IOException e) {
            throw new StorageException("Cannot change " + key + " in " + root + ": " + e.getMessage()
                    + ". What was stored before is unchanged.", e);
        }
    }

    /** Checks the folder's owner and permissions once it exists. */
    private void requireSafeRoot() {
        if (rootChecked) {
            return;
        }
        try {
            OwnerOnlyFiles.requirePrivateFolder(root);
        } catch (IOException e) {
            throw new StorageException("The folder " + root + " is not safe to keep keys in: " + e.getMessage() + ".", e);
        }
        rootChecked = Files.exists(root);
    }

    /** Moves a folder of the flat layout to the sharded one, once per folder and instance, before it is read or written. */
    private void requireLayout() {
        if (layoutChecked || !Files.isDirectory(root)) {
            return; // a folder made later is made sharded
        }
        try {
            FlatLayoutMigration.migrateIfNeeded(root, this::fileOf);
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException("Cannot move the folder " + root + " to the sharded layout: " + e.getMessage()
                    + ". Its files in the flat layout are unchanged and still the ones to read; the move is tried"
                    + " again at the next start.", e);
        }
        layoutChecked = true;
    }

    private static String versionOf(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    private static String lastSegment(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private static byte[] sha256(byte[] bytes) {
        return SHA_256.get().digest(bytes);
    }

    @Override
    public String toString() {
        return "FolderStorage[" + root + "]";
    }
}
