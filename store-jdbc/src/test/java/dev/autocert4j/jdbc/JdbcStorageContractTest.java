package dev.autocert4j.jdbc;

import dev.autocert4j.spi.Storage;
import dev.autocert4j.testkit.StorageContract;
import org.junit.jupiter.api.BeforeEach;

import javax.sql.DataSource;

/**
 * The storage contract (bytes, compare-and-set races, and the sealed store's integrity against a
 * writer without the store key) on a real database, a fresh one per test; a subclass per database
 * says which ({@link PostgresStorageContractTest}, {@link MariaDbStorageContractTest}).
 */
abstract class JdbcStorageContractTest extends StorageContract {

    private DataSource dataSource;

    /** @return the JDBC URL of a new, empty database */
    protected abstract String freshDatabase();

    @BeforeEach
    void useFreshDatabase() {
        dataSource = Databases.plain(freshDatabase());
    }

    @Override
    protected Storage openStorage() {
        return new JdbcStorage(dataSource);
    }
}
