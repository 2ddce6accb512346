package dev.autocert4j.jdbc;

import dev.autocert4j.testkit.MariaDbExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the store adds for a cluster, on MariaDB. */
class MariaDbCertificateStoreTest extends JdbcCertificateStoreTest {

    @RegisterExtension
    static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Override
    protected String freshDatabase() {
        return MARIADB.freshDatabase();
    }

    @Override
    protected SqlDialect dialect() {
        return new SqlDialect.MariaDb();
    }
}
