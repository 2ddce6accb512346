package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateStores;
import dev.autocert4j.spi.Storage;
import dev.autocert4j.testkit.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Two nodes on Pebble sharing PostgreSQL through core's sealed store on {@link JdbcStorage}: the HTTP-01
 * tokens, the leases and the change feed come from the storage, the sealing from core.
 */
class PostgresStorageTwoNodesIT extends TwoNodesIT {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final dev.autocert4j.StoreKey KEY = dev.autocert4j.StoreKey.of(new byte[32]);

    private byte[] snapshot;

    @Override
    protected String freshDatabase() {
        return POSTGRES.freshDatabase();
    }

    @Override
    protected NodeStore openStore(String node, Path ownFolder, boolean fastPolls) {
        JdbcStorage storage = JdbcStorage.shared(Databases.plain(database), node, Duration.ofSeconds(30));
        try {
            return new NodeStore(ownFolder == null ? CertificateStores.onStorage(storage, KEY)
                    : CertificateStores.onStorage(storage, KEY, Files.createDirectories(ownFolder).resolve("seen")),
                    storage::close);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected void snapshotCertificate() {
        snapshot = certificateEntry(storage -> storage.get(key(storage)).orElseThrow().bytes());
    }

    @Override
    protected void copyCertificateBack() {
        certificateEntry(storage -> storage.put(key(storage), snapshot));
    }

    private <T> T certificateEntry(java.util.function.Function<Storage, T> work) {
        try (JdbcStorage writer = new JdbcStorage(Databases.plain(database))) { // a writer without the store key
            return work.apply(writer);
        }
    }

    private static String key(Storage storage) {
        return storage.list("certificates/").stream().filter(key -> key.contains(DOMAIN)).findFirst().orElseThrow();
    }
}
