package dev.autocert4j.internal.storage;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.ChallengeTokenStore;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.PendingOrder;
import dev.autocert4j.RenewalLock;
import dev.autocert4j.spi.Storage;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * The certificate store core keeps on top of any {@link Storage}: one sealed entry format for
 * certificates, enrollments and accounts ({@link SealedEntry}), private keys encrypted with the
 * store key, validity read from the certificate itself, key, certificate and name matched, and a
 * generation older than one this node has seen refused as a replay. A refused entry is an
 * {@link EntryRefusedException} for its name alone, logged once; lists leave it out, so the other
 * names go on. What was verified is kept in memory by the storage's version of the entry, so a
 * renewal check of many certificates asks the storage only whether each changed.
 */
public final class StorageCertificateStore implements CertificateStore {

    /** How often a save reads again and retries when another writer changed the entry in between. */
    private static final int WRITE_ATTEMPTS = 10;

    private final Storage storage;
    private final StoreSecrets secrets;
    private final Entries entries;
    private final VerifiedCache cache = new VerifiedCache();
    private final ChallengeTokenStore challengeTokens;

    /**
     * @param storage         where the bytes are kept
     * @param key             the store key's 32 bytes; copied, the caller clears them
     * @param fingerprint     the store key's fingerprint, for messages
     * @param seenGenerations the file where this node keeps the generations it has seen across
     *                        restarts, or {@code null} to remember them in memory only
     */
    public StorageCertificateStore(Storage storage, byte[] key, String fingerprint, java.nio.file.Path seenGenerations) {
        this(storage, key, fingerprint, seenGenerations, Clock.systemUTC());
    }

    /** As above, with the clock that says when a shared challenge token expires. */
    StorageCertificateStore(Storage storage, byte[] key, String fingerprint, java.nio.file.Path seenGenerations,
                            Clock clock) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.secrets = new StoreSecrets(key, fingerprint);
        this.entries = new Entries(secrets, seenGenerations);
        this.challengeTokens = storage.locks().isPresent() ? new StorageChallengeTokens(storage, entries, clock) : null;
    }

    /** @return the storage underneath */
    public Storage storage() {
        return storage;
    }

    @Override
    public Optional<AcmeAccount> loadAccount(URI caDirectory) {
        Objects.requireNonNull(caDirectory, "caDirectory");
        String name = caDirectory.toString();
        return storage.get(StorageLayout.accountKey(caDirectory)).map(value -> {
            SealedEntry entry = entries.verified(EntryKind.ACCOUNT, name, value.bytes());
            try {
                return AccountCodec.account(caDirectory, entry, secrets);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw entries.refused(EntryKind.ACCOUNT, name, "its key cannot be decrypted with this store key, or it"
                        + " is damaged: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void saveAccount(AcmeAccount account) {
        Objects.requireNonNull(account, "account");
        write(StorageLayout.accountKey(account.caDirectory()), EntryKind.ACCOUNT, account.caDirectory().toString(),
                generation -> AccountCodec.fields(account, secrets), null);
    }

    @Override
    public Optional<IssuedCertificate> loadCertificate(String domain) {
        String name = StorageLayout.canonical(Objects.requireNonNull(domain, "domain"));
        String key = StorageLayout.certificateKey(name);
        Optional<Storage.Value> value = storage.get(key);
        if (value.isEmpty()) {
            cache.forget(key);
            return Optional.empty();
        }
        IssuedCertificate known = cache.certificate(key, value.get().version());
        if (known != null) {
            return Optional.of(known);
        }
        SealedEntry entry = entries.verified(EntryKind.CERTIFICATE, name, value.get().bytes());
        try {
            IssuedCertificate certificate = CertificateEntry.certificate(name, entry, secrets);
            cache.put(key, value.get().version(), certificate.metadata(), certificate);
            return Optional.of(certificate);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw entries.refused(EntryKind.CERTIFICATE, name, e.getMessage(), e);
        }
    }

    /** Reads the certificate but not its key, unless the storage says the entry is unchanged since it was verified. */
    @Override
    public Optional<CertificateMetadata> loadMetadata(String domain) {
        String name = StorageLayout.canonical(Objects.requireNonNull(domain, "domain"));
        String key = StorageLayout.certificateKey(name);
        Optional<Storage.Stat> stat = cache.knows(key) ? storage.stat(key) : Optional.empty(); // else read once, below
        if (stat.isPresent()) {
            CertificateMetadata known = cache.metadata(key, stat.get().version());
            if (known != null) {
                return Optional.of(known);
            }
        }
        Optional<Storage.Value> value = storage.get(key);
        if (value.isEmpty()) {
            cache.forget(key);
            return Optional.empty();
        }
        SealedEntry entry = entries.verified(EntryKind.CERTIFICATE, name, value.get().bytes());
        try {
            CertificateMetadata metadata = CertificateEntry.metadata(name, entry);
            cache.put(key, value.get().version(), metadata, null);
            return Optional.of(metadata);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw entries.refused(EntryKind.CERTIFICATE, name, e.getMessage(), e);
        }
    }

    /** A refused entry is left out (it was logged), as if missing; the others are read. */
    @Override
    public Map<String, CertificateMetadata> loadAllMetadata(Collection<String> domains) {
        Map<String, CertificateMetadata> all = new LinkedHashMap<>();
        for (String domain : domains) {
            try {
                loadMetadata(domain).ifPresent(metadata -> all.put(domain, metadata));
            } catch (EntryRefusedException e) {
                // logged once by Entries; the name is treated as missing
            }
        }
        return all;
    }

    @Override
    public void saveCertificate(IssuedCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        String name = StorageLayout.canonical(certificate.metadata().domain());
        write(StorageLayout.certificateKey(name), EntryKind.CERTIFICATE, name,
                generation -> CertificateEntry.fields(certificate, name, secrets), certificate);
    }

    @Override
    public List<String> domains() {
        return names(StorageLayout.CERTIFICATES);
    }

    @Override
    public void deleteCertificate(String domain) {
        String key = StorageLayout.certificateKey(Objects.requireNonNull(domain, "domain"));
        storage.delete(key);
        cache.forget(key);
    }

    @Override
    public boolean keepsEnrollments() {
        return true;
    }

    @Override
    public void saveEnrollment(String name, Map<String, String> choices) {
        Objects.requireNonNull(choices, "choices");
        String canonical = StorageLayout.canonical(Objects.requireNonNull(name, "name"));
        write(StorageLayout.enrollmentKey(canonical), EntryKind.ENROLLMENT, canonical,
                generation -> new TreeMap<>(choices), null);
    }

    /** Every enrollment whose entry verifies; a refused one is left out (logged once), the others load. */
    @Override
    public Map<String, Map<String, String>> loadEnrollments() {
        Map<String, Map<String, String>> all = new TreeMap<>();
        for (String name : names(StorageLayout.ENROLLMENTS)) {
            try {
                storage.get(StorageLayout.enrollmentKey(name)).ifPresent(value -> all.put(name,
                        new LinkedHashMap<>(entries.verified(EntryKind.ENROLLMENT, name, value.bytes()).fields())));
            } catch (EntryRefusedException e) {
                // logged once by Entries; the enrollment is treated as missing
            }
        }
        return all;
    }

    @Override
    public Set<String> enrollmentNames() {
        return Set.copyOf(names(StorageLayout.ENROLLMENTS));
    }

    @Override
    public void deleteEnrollment(String name) {
        storage.delete(StorageLayout.enrollmentKey(Objects.requireNonNull(name, "name")));
    }

    @Override
    public boolean keepsPendingOrders() {
        return true;
    }

    @Override
    public void savePendingOrder(PendingOrder order) {
        Objects.requireNonNull(order, "order");
        String name = StorageLayout.canonical(order.domain());
        write(StorageLayout.pendingOrderKey(name), EntryKind.PENDING_ORDER, name,
                generation -> PendingOrderCodec.fields(order, name, secrets), null);
    }

    @Override
    public Optional<PendingOrder> loadPendingOrder(String domain) {
        String name = StorageLayout.canonical(Objects.requireNonNull(domain, "domain"));
        return storage.get(StorageLayout.pendingOrderKey(name)).map(value -> {
            SealedEntry entry = entries.verified(EntryKind.PENDING_ORDER, name, value.bytes());
            try {
                return PendingOrderCodec.order(name, entry, secrets);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw entries.refused(EntryKind.PENDING_ORDER, name, e.getMessage(), e);
            }
        });
    }

    @Override
    public void deletePendingOrder(String domain) {
        storage.delete(StorageLayout.pendingOrderKey(StorageLayout.canonical(Objects.requireNonNull(domain, "domain"))));
    }

    @Override
    public Optional<RenewalLock> renewalLock() {
        return storage.locks();
    }

    /** A storage with locks is shared by a cluster, and so are the tokens kept in it. */
    @Override
    public Optional<ChallengeTokenStore> sharedChallengeTokens() {
        return Optional.ofNullable(challengeTokens);
    }

    /** Tells of the certificates another process wrote, from the storage's change feed. */
    @Override
    public AutoCloseable watch(Consumer<String> changed) {
        Objects.requireNonNull(changed, "changed");
        return storage.watch(key -> StorageLayout.nameOf(StorageLayout.CERTIFICATES, key).ifPresent(changed));
    }

    private List<String> names(String folder) {
        return storage.list(folder).stream()
                .map(key -> StorageLayout.nameOf(folder, key))
                .flatMap(Optional::stream)
                .sorted()
                .collect(Collectors.toList());
    }

    /**
     * Writes an entry one generation above the stored one and every one seen, with a compare-and-set,
     * so that of two writers that race each gets its own generation.
     */
    private void write(String key, EntryKind kind, String name, LongFunction<Map<String, String>> fields,
                       IssuedCertificate certificate) {
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            Optional<Storage.Value> current = storage.get(key);
            long generation = entries.nextGeneration(kind, name, current.map(Storage.Value::bytes).orElse(null));
            byte[] bytes = entries.seal(kind, name, generation, fields.apply(generation));
            Optional<String> version = current.isPresent()
                    ? storage.putIfUnchanged(key, bytes, current.get().version())
                    : storage.putIfAbsent(key, bytes);
            if (version.isPresent()) {
                entries.wrote(kind, name, generation);
                if (certificate != null) {
                    cache.put(key, version.get(), certificate.metadata(), certificate);
                }
                return;
            }
        }
        throw new CertificateStoreException("Cannot save the " + kind.name().toLowerCase(java.util.Locale.ROOT) + " of "
                + name + ": another writer changed it " + WRITE_ATTEMPTS + " times while this one tried. What was"
                + " stored before is unchanged.", null);
    }

    @Override
    public String toString() {
        return "CertificateStore on " + storage;
    }
}
