package dev.autocert4j.jdbc;

import dev.autocert4j.testkit.MariaDbExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes on Pebble sharing MariaDB. */
class MariaDbTwoNodesIT extends TwoNodesIT {

    @RegisterExtension
    static final MariaDbExtension MARIADB = new MariaDbExtension();

    @Override
    protected String freshDatabase() {
        return MARIADB.freshDatabase();
    }
}
