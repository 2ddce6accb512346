package dev.autocert4j.bench;

import dev.autocert4j.pkcs12.FolderStorage;
import dev.autocert4j.spi.Storage;
import dev.autocert4j.spi.StorageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Writes a {@link FolderStorage}'s files where it keeps them, owner-only, but without its lock, its
 * temporary files and its syncs: only for making a benchmark fixture of 100,000 certificates in
 * minutes rather than hours, by one writer. Reads go to the folder storage itself.
 */
final class UnsyncedFolderStorage implements Storage {

    private final FolderStorage folder;

    UnsyncedFolderStorage(FolderStorage folder) {
        this.folder = folder;
    }

    @Override
    public Optional<Value> get(String key) {
        return folder.get(key);
    }

    @Override
    public String put(String key, byte[] value) {
        Path file = folder.fileOf(key);
        try {
            if (!Files.isDirectory(file.getParent())) {
                Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.write(file, value, StandardOpenOption.TRUNCATE_EXISTING);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new StorageException("Cannot write the fixture file " + file + ": " + e, e);
        }
    }

    @Override
    public Optional<String> putIfAbsent(String key, byte[] value) {
        return Files.exists(folder.fileOf(key)) ? Optional.empty() : Optional.of(put(key, value));
    }

    @Override
    public Optional<String> putIfUnchanged(String key, byte[] value, String expectedVersion) {
        return Optional.of(put(key, value));
    }

    @Override
    public boolean delete(String key) {
        return folder.delete(key);
    }

    @Override
    public List<String> list(String prefix) {
        return folder.list(prefix);
    }

    @Override
    public Optional<Stat> stat(String key) {
        return folder.stat(key);
    }
}
