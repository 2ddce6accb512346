package dev.autocert4j.jdbc;

import dev.autocert4j.testkit.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the store adds for a cluster, on PostgreSQL. */
class PostgresCertificateStoreTest extends JdbcCertificateStoreTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @Override
    protected String freshDatabase() {
        return POSTGRES.freshDatabase();
    }

    @Override
    protected SqlDialect dialect() {
        return new SqlDialect.Postgres();
    }
}
