package dev.autocert4j.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Data sources for the tests' databases. */
final class Databases {

    private Databases() {
    }

    /** @return a plain data source of the URL's driver, one new connection per use */
    static DataSource plain(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:mariadb:")) {
            try {
                return new MariaDbDataSource(jdbcUrl + "&connectTimeout=5000");
            } catch (SQLException e) {
                throw new IllegalArgumentException("Not a MariaDB URL: " + e.getMessage(), e);
            }
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setConnectTimeout(5);
        return dataSource;
    }

    /** @return a HikariCP pool, as an application would have */
    static HikariDataSource pooled(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(3_000);
        config.setInitializationFailTimeout(-1); // the pool may start while the database is down
        return new HikariDataSource(config);
    }

    /**
     * Copies columns of one row onto another, as someone with plain SQL access (and no store key)
     * can: reads them, then writes them; the same on every database.
     */
    static void copyColumns(DataSource dataSource, String table, String key, String from, String to, String... columns)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement read = connection.prepareStatement("SELECT " + String.join(", ", columns) + " FROM "
                     + table + " WHERE " + key + " = ?");
             PreparedStatement write = connection.prepareStatement("UPDATE " + table + " SET "
                     + String.join(" = ?, ", columns) + " = ? WHERE " + key + " = ?")) {
            read.setString(1, from);
            try (ResultSet row = read.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalArgumentException("no row " + from + " in " + table);
                }
                for (int i = 1; i <= columns.length; i++) {
                    write.setObject(i, row.getObject(i));
                }
            }
            write.setString(columns.length + 1, to);
            if (write.executeUpdate() != 1) {
                throw new IllegalArgumentException("no row " + to + " in " + table);
            }
        }
    }

    static int update(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }
}
