package dev.autocert4j;

import dev.autocert4j.internal.storage.StorageCertificateStore;
import dev.autocert4j.spi.Storage;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The certificate store autocert4j keeps on top of any {@link Storage}: the formats, the seal and
 * the checks of what is read back live here once, for every storage. Like {@link AutoCert}, it
 * wires parts of the engine together, so it is one of the two classes that name them.
 *
 * <pre>{@code
 * CertificateStore store = CertificateStores.onStorage(new FolderStorage(stateDir), storeKey);
 * }</pre>
 *
 * @since 0.2.0
 */
public final class CertificateStores {

    private CertificateStores() {
    }

    /**
     * Makes the certificate store autocert4j keeps on top of a {@link Storage}: one sealed format for
     * certificates, enrollments and accounts, private keys encrypted with the store key, and every
     * entry read back checked before it is used (its seal for its name, kind and generation; validity
     * read from the certificate; key, certificate and name matched; a generation older than one this
     * process has seen refused as a replay). A forged, swapped, replayed or truncated entry is a
     * {@link CertificateStoreException} for its name alone, logged once, and the name is treated as
     * missing. Its lock and change feed are the storage's. It remembers the generations it has seen
     * in memory only: see {@link #onStorage(Storage, StoreKey, Path)} for a node that must
     * recognize an older entry copied back also after a restart (a storage others can write to).
     *
     * @param storage where the bytes are kept
     * @param key     the store key; every server sharing the storage needs the same one
     * @return the store
     * @since 0.2.0
     */
    public static CertificateStore onStorage(Storage storage, StoreKey key) {
        return sealedStore(storage, key, null);
    }

    /**
     * Makes the certificate store of {@link #onStorage(Storage, StoreKey)} that also keeps the highest
     * generation it has seen of each entry in a local file (encrypted with the store key, created 0600,
     * replaced atomically), so that a node started again still refuses an older entry copied back
     * into the storage while it was down.
     *
     * @param storage         where the bytes are kept
     * @param key             the store key
     * @param seenGenerations the node's own file, outside the storage (one per node)
     * @return the store
     * @since 0.2.0
     */
    public static CertificateStore onStorage(Storage storage, StoreKey key, Path seenGenerations) {
        return sealedStore(storage, key, Objects.requireNonNull(seenGenerations, "seenGenerations"));
    }

    private static CertificateStore sealedStore(Storage storage, StoreKey key, Path seenGenerations) {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(key, "key");
        byte[] bytes = key.copyOfBytes();
        try {
            return new StorageCertificateStore(storage, bytes, key.fingerprint(), seenGenerations);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
