package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.testkit.CertificateStoreContract;
import dev.autocert4j.testkit.PostgresExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

/** The store contract every CertificateStore keeps, on a real PostgreSQL, a fresh database per test. */
class JdbcStoreContractTest extends CertificateStoreContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final StoreKey KEY = StoreKey.of(new byte[32]);

    private final List<JdbcCertificateStore> opened = new ArrayList<>();
    private String database;

    @BeforeEach
    void freshDatabase() {
        database = POSTGRES.freshDatabase();
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
