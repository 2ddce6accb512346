package dev.autocert4j.jdbc;

import dev.autocert4j.testkit.MariaDbExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The leases and change feed of the shared storage on MariaDB. */
class MariaDbSharedStorageTest extends JdbcSharedStorageTest {

    @RegisterExtension
    static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Override
    protected String freshDatabase() {
        return MARIADB.freshDatabase();
    }
}
