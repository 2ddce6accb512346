package dev.autocert4j.pkcs12;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStores;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.StoreKey;
import dev.autocert4j.spi.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Moves a state folder written by 0.2's {@link Pkcs12CertificateStore} (certificates, enrollments and
 * accounts in password-protected files) into the sealed format of a {@link FolderStorage} in the same
 * folder, once: everything is read with the 0.2 password and written as sealed entries; only when the
 * last entry is written is the marker {@value #MARKER} written, which makes the migration complete in
 * one atomic step; then the 0.2 files are moved aside into {@value #KEPT_FOLDER} (kept, for going
 * back). A crash before the marker leaves the 0.2 files where they were, and the next start migrates
 * again from them. Two processes that start at once migrate one after the other: the second finds the
 * marker.
 *
 * @since 0.2.0
 */
public final class Version02Migration {

    /** The storage key whose presence says the folder was migrated. */
    public static final String MARKER = "migrated-from-0.2";
    /** Where the 0.2 files are kept once the migration is complete, under the folder. */
    public static final String KEPT_FOLDER = "0.2-files";

    private static final Logger LOG = LoggerFactory.getLogger(Version02Migration.class);
    private static final List<String> OLD_ENTRIES = List.of("certificates", "accounts", "enrollments", "store.index");

    private Version02Migration() {
    }

    /**
     * Migrates the folder of a storage if it holds 0.2 files and was not migrated yet.
     *
     * @param storage      the folder storage
     * @param key          the store key of the new entries
     * @param passwordFile the 0.2 store's password file; read only when there is something to migrate
     * @return whether a migration ran now
     * @throws CertificateStoreException if there is something to migrate and it cannot be (a missing or
     *                                   wrong password, a file that cannot be read); the 0.2 files stay
     */
    public static boolean migrateIfNeeded(FolderStorage storage, StoreKey key, Path passwordFile) {
        Path root = storage.root();
        if (storage.get(MARKER).isPresent()) {
            moveOldFilesAside(root);
            return false;
        }
        if (!holdsVersion02Files(root)) {
            return false;
        }
        try (FileChannel channel = lockFile(root); FileLock lock = channel.lock()) {
            if (storage.get(MARKER).isPresent()) {
                return false; // another process migrated it while this one waited
            }
            migrate(storage, key, passwordFile);
            moveOldFilesAside(root);
            return true;
        } catch (IOException e) {
            throw new CertificateStoreException("Cannot migrate the 0.2 state folder " + root + ": " + e.getMessage()
                    + ". Its 0.2 files are unchanged.", e);
        }
    }

    private static void migrate(FolderStorage storage, StoreKey key, Path passwordFile) throws IOException {
        Path root = storage.root();
        if (!Files.exists(passwordFile)) {
            throw new IOException("it holds certificates of 0.2, which are read with the 0.2 store's password, but the"
                    + " password file " + passwordFile + " does not exist; give it as password-file");
        }
        Pkcs12CertificateStore old = Pkcs12CertificateStore.withPasswordFile(root, passwordFile);
        CertificateStore target = CertificateStores.onStorage(storage, key);
        List<String> certificates = new ArrayList<>();
        for (String domain : old.domains()) {
            try {
                old.loadCertificate(domain).ifPresent(certificate -> {
                    target.saveCertificate(certificate);
                    certificates.add(domain + " (serial " + certificate.metadata().serialNumber() + ")");
                });
            } catch (CertificateStoreException e) {
                // 0.2 could not serve it either; its file is kept with the others
                LOG.warn("The 0.2 certificate of {} cannot be read and is not migrated; it is ordered again when due: {}",
                        domain, e.getMessage());
            }
        }
        Map<String, Map<String, String>> enrollments = old.loadEnrollments();
        enrollments.forEach(target::saveEnrollment);
        List<URI> accounts = accountDirectories(root.resolve("accounts"));
        for (URI directory : accounts) {
            old.loadAccount(directory).ifPresent(target::saveAccount);
        }
        storage.put(MARKER, ("migrated " + Instant.now() + ": " + certificates.size() + " certificates, "
                + enrollments.size() + " enrollments, " + accounts.size() + " accounts\n").getBytes(StandardCharsets.UTF_8));
        LOG.info("Migrated the 0.2 state folder {} to the sealed format: certificates {}, enrollments {}, accounts of {}",
                root, certificates, enrollments.keySet(), accounts);
    }

    /** The CA directory of each 0.2 account file (the file name is a hash of it; the file names it). */
    private static List<URI> accountDirectories(Path folder) throws IOException {
        List<URI> directories = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return directories;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".account")).sorted().toList()) {
                Properties account = new Properties();
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    account.load(reader);
                }
                String directory = account.getProperty("directory");
                if (directory == null || directory.isBlank()) {
                    throw new IOException(file + " names no CA directory");
                }
                directories.add(URI.create(directory));
            }
        }
        return directories;
    }

    private static boolean holdsVersion02Files(Path root) {
        return OLD_ENTRIES.stream().anyMatch(name -> Files.exists(root.resolve(name)));
    }

    /** Moves the 0.2 files of a migrated folder aside, each by one rename; what was moved already is skipped. */
    private static void moveOldFilesAside(Path root) {
        if (!holdsVersion02Files(root)) {
            return;
        }
        Path kept = root.resolve(KEPT_FOLDER);
        try {
            OwnerOnlyFiles.createFolders(kept);
            for (String name : OLD_ENTRIES) {
                Path old = root.resolve(name);
                if (Files.exists(old) && !Files.exists(kept.resolve(name))) {
                    Files.move(old, kept.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            LOG.info("The 0.2 files of {} are kept in {}; nothing reads them any more. Delete them once going back to"
                    + " 0.2 is no longer needed.", root, kept);
        } catch (IOException e) {
            LOG.warn("Cannot move the 0.2 files of the migrated folder {} aside into {} ({}); they are no longer read",
                    root, kept, e.toString());
        }
    }

    private static FileChannel lockFile(Path root) throws IOException {
        OwnerOnlyFiles.createFolders(root);
        Path file = root.resolve(".migration.lock");
        return FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                java.nio.file.LinkOption.NOFOLLOW_LINKS), OwnerOnlyFiles.ownerOnlyFile(root));
    }
}
