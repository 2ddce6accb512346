package dev.autocert4j.pkcs12;

import dev.autocert4j.spi.StoreKeyFiles;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStores;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.StoreKey;
import dev.autocert4j.spi.CertificateStoreFactory;
import dev.autocert4j.spi.PluginSettings;

import java.nio.file.Path;
import java.util.Set;

/**
 * The folder store by the name {@code folder}: a {@link FolderStorage} under core's sealed store
 * ({@link dev.autocert4j.CertificateStores#onStorage}). Settings: {@code folder} (required); {@code store-key-file},
 * the file of the store key ({@code store.key} beside the folder if not given; made on first use,
 * owner-only); {@code password-file}, the password file of the 0.2 PKCS#12 store
 * ({@code store.password} beside the folder if not given), read only when the folder still holds
 * files of 0.2, which are then migrated once ({@link Version02Migration}).
 *
 * <p>It has a name of its own, rather than being what {@code pkcs12} now makes, so that choosing
 * it (and the one-way migration of a 0.2 folder) is a decision of the host's, never a side effect
 * of an upgrade.
 *
 * @since 0.2.0
 */
public final class FolderStoreFactory implements CertificateStoreFactory {

    /** The name it is chosen by. */
    public static final String NAME = "folder";

    /** For {@link java.util.ServiceLoader}. */
    public FolderStoreFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settings() {
        return Set.of("folder", "store-key-file", "password-file");
    }

    @Override
    public CertificateStore create(PluginSettings settings) {
        Path folder = settings.path("folder").orElseThrow(() -> new InvalidInputException("folder", null,
                "is required by the " + NAME + " plugin: the folder the certificates are kept in")).toAbsolutePath();
        StoreKey key = StoreKeyFiles.readOrCreate(settings.path("store-key-file").orElse(folder.resolveSibling("store.key")));
        Path passwordFile = settings.path("password-file").orElse(folder.resolveSibling("store.password"));
        FolderStorage storage = new FolderStorage(folder);
        Version02Migration.migrateIfNeeded(storage, key, passwordFile);
        return CertificateStores.onStorage(storage, key);
    }
}
