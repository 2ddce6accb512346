package dev.autocert4j.jdbc;

import dev.autocert4j.testkit.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The leases and change feed of the shared storage on PostgreSQL. */
class PostgresSharedStorageTest extends JdbcSharedStorageTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @Override
    protected String freshDatabase() {
        return POSTGRES.freshDatabase();
    }
}
