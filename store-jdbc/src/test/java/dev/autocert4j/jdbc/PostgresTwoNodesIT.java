package dev.autocert4j.jdbc;

import dev.autocert4j.testkit.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes on Pebble sharing PostgreSQL. */
class PostgresTwoNodesIT extends TwoNodesIT {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @Override
    protected String freshDatabase() {
        return POSTGRES.freshDatabase();
    }
}
