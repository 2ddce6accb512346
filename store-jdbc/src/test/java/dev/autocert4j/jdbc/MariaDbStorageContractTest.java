package dev.autocert4j.jdbc;

import dev.autocert4j.testkit.MariaDbExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The storage contract on MariaDB. */
class MariaDbStorageContractTest extends JdbcStorageContractTest {

    @RegisterExtension
    static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Override
    protected String freshDatabase() {
        return MARIADB.freshDatabase();
    }
}
