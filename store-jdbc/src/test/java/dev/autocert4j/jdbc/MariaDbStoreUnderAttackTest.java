package dev.autocert4j.jdbc;

import dev.autocert4j.testkit.MariaDbExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store under attack on MariaDB. */
class MariaDbStoreUnderAttackTest extends JdbcStoreUnderAttackTest {

    @RegisterExtension
    static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Override
    protected String freshDatabase() {
        return MARIADB.freshDatabase();
    }
}
