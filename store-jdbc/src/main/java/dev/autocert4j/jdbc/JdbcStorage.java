package dev.autocert4j.jdbc;

import dev.autocert4j.RenewalLock;
import dev.autocert4j.spi.NamedThreads;
import dev.autocert4j.spi.Storage;
import dev.autocert4j.spi.StorageException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link Storage} in one table of PostgreSQL (12 or later) or MariaDB (10.3 or later),
 * {@code autocert4j_storage}, created when first used: a row per key with its bytes, a version (a
 * random UUID per write) and the database's time of writing. Each operation is one statement in
 * its own transaction; the compare-and-sets are an {@code UPDATE ... WHERE version = ?} and an
 * {@code INSERT} that the primary key refuses, so of racing writers (on any node) exactly one wins.
 * Keys compare byte for byte on both databases. Whoever can write to the table without the store key
 * can delete entries, nothing more: core seals everything it keeps here.
 *
 * <p>A storage the nodes of a cluster share ({@link #shared}) also gives a lease per name
 * ({@link #locks()}): the same leases as {@link JdbcCertificateStore}'s, in {@code autocert4j_leases},
 * taken, extended and compared on the database's clock, so that one node renews a certificate while
 * the others wait; and a change feed ({@link #watch}): every {@value #POLL_SECONDS} seconds the node reads
 * each key's version (one query over two short columns) and reports the keys another writer changed
 * or deleted since, so a certificate one node renewed is installed on the others.
 *
 * @since 0.2.0
 */
public final class JdbcStorage implements Storage, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStorage.class);
    private static final String TABLE = "autocert4j_storage";
    private static final String DELETED = "(deleted)";
    /** How often a shared storage's change feed reads the versions. */
    static final int POLL_SECONDS = 1;

    private final DataSource dataSource;
    private final ScheduledExecutorService heartbeat;
    private final JdbcRenewalLock lock;
    private volatile SqlDialect dialect;
    /** The version of this node's last write of each key, so that the feed does not report it back. */
    private final Map<String, String> ownWrites = new ConcurrentHashMap<>();

    /**
     * Uses a database for one node, with no lock; nothing is read or created until the first call.
     *
     * @param dataSource the database, such as a connection pool
     */
    public JdbcStorage(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.heartbeat = null;
        this.lock = null;
    }

    private JdbcStorage(DataSource dataSource, String nodeName, Duration leaseLength) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(nodeName, "nodeName");
        if (leaseLength.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("leaseLength must be at least 3 seconds, not " + leaseLength);
        }
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("autocert4j-jdbc-storage"));
        this.lock = new JdbcRenewalLock(new Statements(), nodeName, leaseLength, Clock.systemUTC(), heartbeat);
    }

    /**
     * Uses a database that several nodes share: {@link #locks()} gives a lease per name, extended in
     * the background while it is held. {@link #close()} stops that.
     *
     * @param dataSource  the database
     * @param nodeName    this node's name, shown as the holder of its leases
     * @param leaseLength how long a lease lasts unless its holder extends it (at least 3 seconds), such as 2 minutes
     * @return the storage
     */
    public static JdbcStorage shared(DataSource dataSource, String nodeName, Duration leaseLength) {
        return new JdbcStorage(dataSource, nodeName, Objects.requireNonNull(leaseLength, "leaseLength"));
    }

    /** @return the leases of a shared storage; empty for one made by the constructor */
    @Override
    public Optional<RenewalLock> locks() {
        return Optional.ofNullable(lock);
    }

    /**
     * Reports the keys other writers changed or deleted, polling the versions every
     * {@value #POLL_SECONDS} seconds from the first call on; a storage made by the constructor (one
     * node) never tells.
     */
    @Override
    public AutoCloseable watch(Consumer<String> changed) {
        Objects.requireNonNull(changed, "changed");
        if (heartbeat == null) {
            return () -> { };
        }
        Map<String, String> seen = new HashMap<>(versions());
        ScheduledFuture<?> polling = heartbeat.scheduleWithFixedDelay(() -> poll(seen, changed), POLL_SECONDS,
                POLL_SECONDS, TimeUnit.SECONDS);
        return () -> polling.cancel(false);
    }

    private void poll(Map<String, String> seen, Consumer<String> changed) {
        try {
            Map<String, String> now = versions();
            List<String> changedKeys = new ArrayList<>();
            now.forEach((key, version) -> {
                if (!version.equals(seen.get(key)) && !version.equals(ownWrites.get(key))) {
                    changedKeys.add(key);
                }
            });
            seen.keySet().stream().filter(key -> !now.containsKey(key) && !DELETED.equals(ownWrites.get(key)))
                    .forEach(changedKeys::add);
            seen.clear();
            seen.putAll(now);
            changedKeys.forEach(changed);
        } catch (RuntimeException e) {
            LOG.warn("The storage's change feed failed; it tries again in {} s: {}", POLL_SECONDS, e.toString());
        }
    }

    private Map<String, String> versions() {
        try (Connection connection = connection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT storage_key, version FROM " + TABLE)) {
            Map<String, String> versions = new HashMap<>();
            while (rows.next()) {
                versions.put(rows.getString(1), rows.getString(2));
            }
            return versions;
        } catch (SQLException e) {
            throw failed("read the versions for the change feed", e);
        }
    }

    /** Stops extending leases in the background; leases still held expire by themselves. */
    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
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
        ownWrites.put(key, version);
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
        if (inserted == 1) {
            ownWrites.put(key, version);
        }
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
        if (updated == 1) {
            ownWrites.put(key, version);
        }
        return updated == 1 ? Optional.of(version) : Optional.empty();
    }

    @Override
    public boolean delete(String key) {
        Storage.requireValidKey(key);
        ownWrites.put(key, DELETED);
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
        String leases = detected instanceof SqlDialect.MariaDb
                ? "CREATE TABLE IF NOT EXISTS autocert4j_leases (domain VARCHAR(255) NOT NULL PRIMARY KEY, owner TEXT NOT NULL,"
                        + " token TEXT NOT NULL, acquired_at BIGINT NOT NULL, expires_at BIGINT NOT NULL) ENGINE = InnoDB"
                        + " DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin"
                : "CREATE TABLE IF NOT EXISTS autocert4j_leases (domain text PRIMARY KEY, owner text NOT NULL,"
                        + " token text NOT NULL, acquired_at bigint NOT NULL, expires_at bigint NOT NULL)";
        try (Statement statement = connection.createStatement()) {
            statement.execute(create);
            if (lock != null) {
                statement.execute(leases); // the certificate store's lease table, as its schema makes it
            }
        }
        dialect = detected;
    }

    /** The storage's connections for its leases. */
    private final class Statements implements LeaseStatements {
        @Override
        public SqlDialect dialect() {
            return call("connecting", connection -> dialect);
        }

        @Override
        public <T> T call(String doing, Database.Work<T> work) {
            try (Connection connection = connection()) {
                return work.run(connection);
            } catch (SQLException e) {
                throw Database.failed(doing, e);
            }
        }

        @Override
        public int update(String doing, String sql, Object... parameters) {
            return call(doing, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    for (int i = 0; i < parameters.length; i++) {
                        statement.setObject(i + 1, parameters[i]);
                    }
                    return statement.executeUpdate();
                }
            });
        }
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
