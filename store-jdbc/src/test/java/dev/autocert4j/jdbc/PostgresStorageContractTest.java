package dev.autocert4j.jdbc;

import dev.autocert4j.testkit.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The storage contract on PostgreSQL. */
class PostgresStorageContractTest extends JdbcStorageContractTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @Override
    protected String freshDatabase() {
        return POSTGRES.freshDatabase();
    }
}
