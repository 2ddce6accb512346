package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.testkit.CertificateStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;

/**
 * The store contract every CertificateStore keeps, on a real database, a fresh one per test; a
 * subclass per database says which ({@link PostgresStoreContractTest}, {@link MariaDbStoreContractTest}).
 */
abstract class JdbcStoreContractTest extends CertificateStoreContract {

    private static final StoreKey KEY = StoreKey.of(new byte[32]);

    private final List<JdbcCertificateStore> opened = new ArrayList<>();
    private String database;

    /** @return the JDBC URL of a new, empty database */
    protected abstract String freshDatabase();

    @BeforeEach
    void useFreshDatabase() {
        database = freshDatabase();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(JdbcCertificateStore::close);
    }

    @Override
    protected CertificateStore openStore() {
        JdbcCertificateStore store = JdbcCertificateStore.builder(Databases.plain(database)).key(KEY).nodeName("node-1").build();
        opened.add(store);
        return store;
    }
}
