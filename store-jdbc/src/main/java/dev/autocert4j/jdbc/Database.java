package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateStoreException;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The store's way into the database: one connection per unit of work, taken from the pool and
 * given back at once (never held across a call to the CA), the schema made or checked before the
 * first unit, and every {@link SQLException} turned into a {@link CertificateStoreException} that
 * says what was being done. The {@link SqlDialect} is read from the first connection's metadata.
 */
final class Database implements LeaseStatements {

    /** The schema version this code writes and reads. */
    static final int SCHEMA_VERSION = 2;

    /** Work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Seals the rows a database of schema version 1 holds, once, when it is upgraded. */
    @FunctionalInterface
    interface RowSealing {
        /** @return a summary of what was sealed, for the log */
        String sealRowsOfVersion1(Connection connection) throws SQLException;
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);

    private final DataSource dataSource;
    private final StoreKey key;
    private final RowSealing upgradeSealing;
    private volatile SqlDialect dialect;
    private volatile boolean schemaReady;

    Database(DataSource dataSource, StoreKey key, RowSealing upgradeSealing) {
        this.dataSource = dataSource;
        this.key = key;
        this.upgradeSealing = upgradeSealing;
    }

    /**
     * @return the dialect of the database, read from the first connection (opened now if there was none)
     */
    @Override
    public SqlDialect dialect() {
        SqlDialect known = dialect;
        return known != null ? known : call("connecting", connection -> dialect);
    }

    /**
     * Runs work on a connection in auto-commit mode.
     *
     * @param doing what the work does, for the message if it fails
     */
    @Override
    public <T> T call(String doing, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            ensureSchema(connection);
            return work.run(connection);
        } catch (SQLException e) {
            throw failed(doing, e);
        }
    }

    /**
     * Runs one statement that changes rows.
     *
     * @param doing      what it does, for the message if it fails
     * @param sql        the statement, with {@code ?} for each parameter
     * @param parameters the parameters, in order
     * @return how many rows it changed
     */
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

    /** Runs work in one transaction: all of it or nothing. */
    <T> T transaction(String doing, Work<T> work) {
        return call(doing, connection -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        });
    }

    static DatabaseException failed(String doing, SQLException e) {
        return new DatabaseException("The database failed while " + doing + ": " + e.getMessage()
                + (e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")"), e);
    }

    /** Creates the tables on first use, or checks their version and that this node has the right key. */
    private void ensureSchema(Connection connection) throws SQLException {
        if (schemaReady) {
            return;
        }
        synchronized (this) {
            if (schemaReady) {
                return;
            }
            SqlDialect found = SqlDialect.of(connection.getMetaData());
            dialect = found; // also for the upgrade's row sealing, which runs before the schema is ready
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                found.lockSchema(connection);
                if (!found.schemaTableExists(connection)) {
                    createSchema(connection, found);
                }
                requireKnownVersionAndKey(connection, found);
                connection.commit();
                schemaReady = true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                found.unlockSchema(connection);
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private void createSchema(Connection connection, SqlDialect dialect) throws SQLException {
        execute(connection, schemaStatements(dialect));
        recordVersionAndKey(connection);
    }

    private static void execute(Connection connection, String[] statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /**
     * Schema 1 to 2: adds the seal and generation columns, then this node, which holds the store key
     * (its fingerprint was checked), seals every existing row once. Trust on first upgrade: what the
     * rows held before is taken as written by the cluster (certificates and keys are still checked).
     */
    private void upgradeFromVersion1(Connection connection, SqlDialect dialect) throws SQLException {
        execute(connection, statements(dialect.upgradeFile(SCHEMA_VERSION)));
        String sealed = upgradeSealing.sealRowsOfVersion1(connection);
        try (PreparedStatement update = connection.prepareStatement("UPDATE autocert4j_schema SET version = ?")) {
            update.setInt(1, SCHEMA_VERSION);
            update.executeUpdate();
        }
        LOG.info("Upgraded the autocert4j tables from schema version 1 to {}; with the store key (fingerprint {}) this node"
                + " sealed {}", SCHEMA_VERSION, key.fingerprint(), sealed);
    }

    private void recordVersionAndKey(Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO autocert4j_schema (version, key_fingerprint) VALUES (?, ?)")) {
            insert.setInt(1, SCHEMA_VERSION);
            insert.setString(2, key.fingerprint());
            insert.executeUpdate();
        }
    }

    private void requireKnownVersionAndKey(Connection connection, SqlDialect dialect) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT version, key_fingerprint FROM autocert4j_schema");
             ResultSet result = query.executeQuery()) {
            if (!result.next()) {
                // tables a DBA created from a schema file: this key is theirs now; columns of version 2 added if missing
                execute(connection, statements(dialect.upgradeFile(SCHEMA_VERSION)));
                recordVersionAndKey(connection);
                return;
            }
            int version = result.getInt(1);
            String fingerprint = result.getString(2);
            if (version > SCHEMA_VERSION) {
                throw new CertificateStoreException("The database holds autocert4j schema version " + version
                        + ", newer than this autocert4j understands (" + SCHEMA_VERSION + "): upgrade autocert4j", null);
            }
            if (!fingerprint.equals(key.fingerprint())) {
                throw new CertificateStoreException("This node's store key (fingerprint " + key.fingerprint()
                        + ") is not the key the database's private keys were encrypted with (fingerprint " + fingerprint
                        + "): every node needs the same key file", null);
            }
            if (version == 1) {
                result.close();
                upgradeFromVersion1(connection, dialect);
            } else if (!hasAccountRegistrationColumns(connection)) {
                result.close();
                execute(connection, statements(dialect.upgradeFile(SCHEMA_VERSION)));
                LOG.info("Added the columns of the account's contacts and accepted Terms of Service to autocert4j_accounts");
            }
        }
    }

    /**
     * Whether the accounts table has the nullable columns added in 0.2.0; looked up first, so that
     * starting nodes do not alter a table that has them (an ALTER locks it, even when it changes nothing).
     */
    private static boolean hasAccountRegistrationColumns(Connection connection) throws SQLException {
        try (ResultSet columns = connection.getMetaData().getColumns(connection.getCatalog(), null,
                "autocert4j_accounts", "accepted_terms_of_service")) {
            while (columns.next()) {
                if ("autocert4j_accounts".equalsIgnoreCase(columns.getString("TABLE_NAME"))
                        && "accepted_terms_of_service".equalsIgnoreCase(columns.getString("COLUMN_NAME"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The statements of the documented schema file of a database, split at semicolons outside comments. */
    static String[] schemaStatements(SqlDialect dialect) {
        return statements(dialect.schemaFile(SCHEMA_VERSION));
    }

    /** The statements of a schema file of this package, split at semicolons outside comments. */
    static String[] statements(String file) {
        try (InputStream in = Database.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is missing from the jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("--[^\n]*", "");
            return java.util.Arrays.stream(text.split(";")).map(String::strip).filter(sql -> !sql.isEmpty())
                    .toArray(String[]::new);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the schema file", e);
        }
    }
}
