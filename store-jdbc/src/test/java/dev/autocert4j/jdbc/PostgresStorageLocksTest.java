package dev.autocert4j.jdbc;

import dev.autocert4j.testkit.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leases of the shared storage on PostgreSQL. */
class PostgresStorageLocksTest extends JdbcStorageLocksTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @Override
    protected String freshDatabase() {
        return POSTGRES.freshDatabase();
    }
}
