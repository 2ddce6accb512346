package dev.autocert4j.pkcs12;

import dev.autocert4j.spi.OwnerOnlyFiles;
import dev.autocert4j.spi.Storage;
import dev.autocert4j.spi.StorageException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A {@link Storage} in a folder on disk: each value is one file, created 0600 in the open call and
 * written atomically (a synced temporary file renamed over the old one), in folders created 0700.
 * A key's segments become folders ending in {@code .d} and its last segment a file ending in
 * {@code .entry} ({@code certificates/portal.example.com} is {@code certificates.d/portal.example.com.entry}),
 * so no two keys share a path, and since a key has no empty segment and none that starts with a
 * dot, no key leads out of the folder. A value's version is the SHA-256 of its bytes.
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

    private final Path root;
    private volatile boolean rootChecked;

    /**
     * Opens a folder; nothing is read or created until it is used.
     *
     * @param root the folder; created 0700 at the first write
     */
    public FolderStorage(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
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
        return path.resolve(segments[segments.length - 1] + FILE_SUFFIX);
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
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(file -> file.getFileName().toString().endsWith(FILE_SUFFIX))
                    .filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                    .map(this::keyOf)
                    .flatMap(Optional::stream)
                    .filter(key -> key.startsWith(prefix))
                    .forEach(keys::add);
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException("Cannot list the folder " + root + ": " + e.getMessage(), e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public Optional<Stat> stat(String key) {
        Path file = fileOf(key);
        return read(file).map(bytes -> {
            try {
                return new Stat(bytes.length, versionOf(bytes), Files.getLastModifiedTime(file).toInstant());
            } catch (IOException e) {
                throw new StorageException("Cannot read " + file + ": " + e.getMessage(), e);
            }
        });
    }

    /** @return the key a file stands for, if it is a file this storage wrote */
    private Optional<String> keyOf(Path file) {
        Path relative = root.relativize(file);
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < relative.getNameCount(); i++) {
            String name = relative.getName(i).toString();
            boolean last = i == relative.getNameCount() - 1;
            String suffix = last ? FILE_SUFFIX : FOLDER_SUFFIX;
            if (!name.endsWith(suffix)) {
                return Optional.empty();
            }
            key.append(i == 0 ? "" : "/").append(name, 0, name.length() - suffix.length());
        }
        try {
            return Optional.of(Storage.requireValidKey(key.toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a file someone else put there
        }
    }

    private Optional<byte[]> read(Path file) {
        requireSafeRoot();
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

    private static String versionOf(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "FolderStorage[" + root + "]";
    }
}
