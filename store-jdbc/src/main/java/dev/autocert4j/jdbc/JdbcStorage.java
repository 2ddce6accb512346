package dev.autocert4j.jdbc;

import dev.autocert4j.spi.Storage;
import dev.autocert4j.spi.StorageException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link Storage} in one table of PostgreSQL (12 or later) or MariaDB (10.3 or later),
 * {@code autocert4j_storage}, created when first used: a row per key with its bytes, a version (a
 * random UUID per write) and the database's time of writing. Each operation is one statement in
 * its own transaction; the compare-and-sets are an {@code UPDATE ... WHERE version = ?} and an
 * {@code INSERT} that the primary key refuses, so of racing writers (on any node) exactly one wins.
 * Keys compare byte for byte on both databases. Whoever can write to the table without the store key
 * can delete entries, nothing more: core seals everything it keeps here.
 *
 * <p>Not yet offered: a lease lock ({@link #locks()} is empty, so each node renews on its own) and a
 * change feed ({@link #watch} never tells); {@link JdbcCertificateStore} has both.
 *
 * @since 0.2.0
 */
public final class JdbcStorage implements Storage {

    private static final String TABLE = "autocert4j_storage";

    private final DataSource dataSource;
    private volatile SqlDialect dialect;

    /**
     * Uses a database; nothing is read or created until the first call.
     *
     * @param dataSource the database, such as a connection pool
     */
    public JdbcStorage(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Optional<Value> get(String key) {
        Storage.requireValidKey(key);
        return query(key, "SELECT value, version FROM " + TABLE + " WHERE storage_key = ?", row ->
                new Value(row.getBytes(1), row.getString(2)));
    }

    @Override
    public String put(String key, byte[] value) {
        Storage.requireValidKey(key);
        Objects.requireNonNull(value, "value");
        String version = newVersion();
        update(key, connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(dialect.upsert(TABLE, "storage_key",
                    "storage_key, value, version, modified", "?, ?, ?, " + now()))) {
                upsert.setString(1, key);
                upsert.setBytes(2, value);
                upsert.setString(3, version);
                return upsert.executeUpdate();
            }
        });
        return version;
    }

    @Override
    public Optional<String> putIfAbsent(String key, byte[] value) {
        Storage.requireValidKey(key);
        Objects.requireNonNull(value, "value");
        String version = newVersion();
        int inserted = update(key, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
                    + " (storage_key, value, version, modified) VALUES (?, ?, ?, " + now() + ")")) {
                insert.setString(1, key);
                insert.setBytes(2, value);
                insert.setString(3, version);
                return insert.executeUpdate();
            } catch (SQLException e) {
                if (String.valueOf(e.getSQLState()).startsWith("23")) {
                    return 0; // the primary key holds a row: another writer was first
                }
                throw e;
            }
        });
        return inserted == 1 ? Optional.of(version) : Optional.empty();
    }

    @Override
    public Optional<String> putIfUnchanged(String key, byte[] value, String expectedVersion) {
        Storage.requireValidKey(key);
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        String version = newVersion();
        int updated = update(key, connection -> {
            try (PreparedStatement compareAndSet = connection.prepareStatement("UPDATE " + TABLE + " SET value = ?,"
                    + " version = ?, modified = " + now() + " WHERE storage_key = ? AND version = ?")) {
                compareAndSet.setBytes(1, value);
                compareAndSet.setString(2, version);
                compareAndSet.setString(3, key);
                compareAndSet.setString(4, expectedVersion);
                return compareAndSet.executeUpdate();
            }
        });
        return updated == 1 ? Optional.of(version) : Optional.empty();
    }

    @Override
    public boolean delete(String key) {
        Storage.requireValidKey(key);
        return update(key, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE storage_key = ?")) {
                delete.setString(1, key);
                return delete.executeUpdate();
            }
        }) > 0;
    }

    @Override
    public List<String> list(String prefix) {
        Storage.requireValidPrefix(prefix);
        try (Connection connection = connection();
             PreparedStatement select = connection.prepareStatement("SELECT storage_key FROM " + TABLE
                     + " WHERE storage_key LIKE ? ESCAPE '!'")) {
            select.setString(1, prefix.replace("!", "!!").replace("_", "!_").replace("%", "!%") + "%");
            List<String> keys = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String key = rows.getString(1);
                    if (key.startsWith(prefix)) {
                        keys.add(key);
                    }
                }
            }
            keys.sort(null); // the same order on both databases, whatever their collation
            return keys;
        } catch (SQLException e) {
            throw failed("list the keys under '" + prefix + "'", e);
        }
    }

    @Override
    public Optional<Stat> stat(String key) {
        Storage.requireValidKey(key);
        return query(key, "SELECT OCTET_LENGTH(value), version, modified FROM " + TABLE + " WHERE storage_key = ?",
                row -> new Stat(row.getLong(1), row.getString(2), row.getTimestamp(3).toInstant()));
    }

    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private interface Change {
        int run(Connection connection) throws SQLException;
    }

    private <T> Optional<T> query(String key, String sql, RowReader<T> reader) {
        try (Connection connection = connection(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(reader.read(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed("read " + key, e);
        }
    }

    private int update(String key, Change change) {
        try (Connection connection = connection()) {
            return change.run(connection);
        } catch (SQLException e) {
            throw failed("write " + key, e);
        }
    }

    /** A connection in auto-commit mode, the table created on the first. */
    private Connection connection() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            if (dialect == null) {
                createTable(connection);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private synchronized void createTable(Connection connection) throws SQLException {
        if (dialect != null) {
            return;
        }
        SqlDialect detected = SqlDialect.of(connection.getMetaData());
        String create = detected instanceof SqlDialect.MariaDb
                ? "CREATE TABLE IF NOT EXISTS " + TABLE + " (storage_key VARCHAR(512) CHARACTER SET ascii COLLATE"
                        + " ascii_bin PRIMARY KEY, value LONGBLOB NOT NULL, version VARCHAR(64) NOT NULL,"
                        + " modified TIMESTAMP(6) NOT NULL)"
                : "CREATE TABLE IF NOT EXISTS " + TABLE + " (storage_key VARCHAR(512) COLLATE \"C\" PRIMARY KEY,"
                        + " value BYTEA NOT NULL, version VARCHAR(64) NOT NULL, modified TIMESTAMP WITH TIME ZONE NOT NULL)";
        try (Statement statement = connection.createStatement()) {
            statement.execute(create);
        }
        dialect = detected;
    }

    private String now() {
        return dialect instanceof SqlDialect.MariaDb ? "CURRENT_TIMESTAMP(6)" : "now()";
    }

    private static String newVersion() {
        return UUID.randomUUID().toString();
    }

    private StorageException failed(String what, SQLException e) {
        return new StorageException("Cannot " + what + " in the database (" + (dialect == null ? "not reached yet" : dialect.name())
                + "): " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "JdbcStorage[" + TABLE + "]";
    }
}
