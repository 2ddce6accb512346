package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateStoreException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.DatabaseMetaData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dialect is read from what the driver says the database is; any other database is refused by name. */
class SqlDialectTest {

    private static DatabaseMetaData database(String product, String version, int major, int minor) {
        return (DatabaseMetaData) Proxy.newProxyInstance(SqlDialectTest.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "getDatabaseProductName" -> product;
                    case "getDatabaseProductVersion" -> version;
                    case "getDatabaseMajorVersion" -> major;
                    case "getDatabaseMinorVersion" -> minor;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void postgresAndMariaDbThroughEitherDriverAreKnown() throws Exception {
        assertThat(SqlDialect.of(database("PostgreSQL", "16.4", 16, 4))).isInstanceOf(SqlDialect.Postgres.class);
        assertThat(SqlDialect.of(database("MariaDB", "10.11.19-MariaDB-0+deb12u1", 10, 11)))
                .isInstanceOf(SqlDialect.MariaDb.class);
        assertThat(SqlDialect.of(database("MySQL", "5.5.5-10.11.19-MariaDB-0+deb12u1", 5, 5)))
                .as("MariaDB through MySQL's driver, which reports version 5.5").isInstanceOf(SqlDialect.MariaDb.class);
    }

    @Test
    void otherDatabasesAndMariaDbWithoutSequencesAreRefusedByName() {
        assertThatThrownBy(() -> SqlDialect.of(database("MySQL", "8.0.36", 8, 0)))
                .isInstanceOf(CertificateStoreException.class).hasMessageContaining("PostgreSQL and MariaDB")
                .hasMessageContaining("MySQL 8.0.36");
        assertThatThrownBy(() -> SqlDialect.of(database("H2", "2.2.224", 2, 2)))
                .isInstanceOf(CertificateStoreException.class).hasMessageContaining("H2 2.2.224");
        assertThatThrownBy(() -> SqlDialect.of(database("MariaDB", "10.2.44-MariaDB", 10, 2)))
                .isInstanceOf(CertificateStoreException.class).hasMessageContaining("MariaDB 10.3 or later");
        assertThatThrownBy(() -> SqlDialect.of(database("MySQL", "5.5.5-10.2.44-MariaDB", 5, 5)))
                .isInstanceOf(CertificateStoreException.class).hasMessageContaining("MariaDB 10.3 or later");
    }

    @Test
    void anUpsertUpdatesEveryColumnButTheKey() {
        assertThat(new SqlDialect.Postgres().upsert("t", "k", "k, a, b", "?, ?, ?"))
                .isEqualTo("INSERT INTO t (k, a, b) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET a = EXCLUDED.a,"
                        + " b = EXCLUDED.b");
        assertThat(new SqlDialect.MariaDb().upsert("t", "k", "k, a, b", "?, ?, ?"))
                .isEqualTo("INSERT INTO t (k, a, b) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE a = VALUES(a), b = VALUES(b)");
    }
}
