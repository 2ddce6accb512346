package dev.autocert4j.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Data sources for the tests' databases. */
final class Databases {

    private Databases() {
    }

    /** @return a plain data source, one new connection per use */
    static DataSource plain(String jdbcUrl) {
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

    static int update(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }
}
