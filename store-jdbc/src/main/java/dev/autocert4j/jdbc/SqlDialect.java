package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateStoreException;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What differs between the databases the store runs on: the schema files, the database's clock,
 * the upsert, the change sequence, the schema lock and the taking of a lease. Chosen once per store
 * from the first connection's metadata; everything else is plain SQL both understand.
 */
abstract class SqlDialect {

    /** MariaDB's own version in the version text, also after MySQL's driver's "5.5.5-". */
    private static final Pattern MARIADB_VERSION = Pattern.compile("(?:^|-)(\\d+)\\.(\\d+)\\.\\d+-MariaDB");

    /**
     * @return the dialect of the database the connection is to
     * @throws CertificateStoreException if it is neither PostgreSQL nor MariaDB 10.3 or later
     */
    static SqlDialect of(DatabaseMetaData database) throws SQLException {
        String product = database.getDatabaseProductName();
        String version = database.getDatabaseProductVersion();
        if (product.equals("PostgreSQL")) {
            return new Postgres();
        }
        if (product.equals("MariaDB") || (product.equals("MySQL") && version.contains("MariaDB"))) {
            if (!hasSequences(version, database.getDatabaseMajorVersion(), database.getDatabaseMinorVersion())) {
                throw new CertificateStoreException("The JDBC store needs MariaDB 10.3 or later (for sequences); this"
                        + " database is MariaDB " + version, null);
            }
            return new MariaDb();
        }
        throw new CertificateStoreException("The JDBC store works with PostgreSQL and MariaDB; this database is "
                + product + " " + version, null);
    }

    /**
     * Whether a MariaDB is 10.3 or later. MySQL's driver reports MariaDB as version 5.5.5 and puts
     * the real one after it ({@code 5.5.5-10.11.19-MariaDB}), so the version text comes first.
     */
    private static boolean hasSequences(String version, int major, int minor) {
        Matcher real = MARIADB_VERSION.matcher(version);
        if (real.find()) {
            major = Integer.parseInt(real.group(1));
            minor = Integer.parseInt(real.group(2));
        }
        return major > 10 || (major == 10 && minor >= 3);
    }

    /** @return the database's name, for messages */
    abstract String name();

    /** @return the schema file of a version, a resource of this package */
    abstract String schemaFile(int version);

    /** @return the file that upgrades the tables to a version, a resource of this package */
    abstract String upgradeFile(int version);

    /**
     * @return an SQL expression for the database's clock in epoch milliseconds, for statements that
     * compare or set lease and token expiry: every node then agrees on what "expired" means
     */
    abstract String nowMillis();

    /**
     * @param table   the table
     * @param key     its primary key column
     * @param columns the columns written, the key among them, comma-separated
     * @param values  their values, in order ({@code ?} or expressions)
     * @return an INSERT that updates every other column of the row if one with the key exists
     */
    abstract String upsert(String table, String key, String columns, String values);

    /** @return a query for the next value of the change sequence */
    abstract String nextGeneration();

    /** Sets the change sequence so that its next value is above {@code value}. */
    abstract void raiseGeneration(Connection connection, long value) throws SQLException;

    /** @return whether the schema table exists in the connection's database */
    abstract boolean schemaTableExists(Connection connection) throws SQLException;

    /**
     * Takes the lock that serializes schema creation when several nodes start together, in the
     * connection's transaction; {@link #unlockSchema} gives it back.
     */
    abstract void lockSchema(Connection connection) throws SQLException;

    /** Gives back the schema lock, after the transaction ended. */
    abstract void unlockSchema(Connection connection) throws SQLException;

    /**
     * Takes the lease of a domain if no row holds it or its row expired on the database's clock.
     *
     * @return whether it was taken
     */
    abstract boolean takeLease(Connection connection, String domain, String owner, String token, long lengthMillis)
            throws SQLException;

    @Override
    public String toString() {
        return name();
    }

    /** PostgreSQL 12 or later: the dialect the store was written in; its statements are unchanged. */
    static final class Postgres extends SqlDialect {
        /** Serializes schema creation (any constant works; all nodes use this one). */
        private static final long SCHEMA_LOCK = 0x6175746f63657274L;

        @Override
        String name() {
            return "PostgreSQL";
        }

        @Override
        String schemaFile(int version) {
            return "schema-" + version + ".sql";
        }

        @Override
        String upgradeFile(int version) {
            return "upgrade-" + version + ".sql";
        }

        @Override
        String nowMillis() {
            return "(extract(epoch FROM now()) * 1000)::bigint";
        }

        @Override
        String upsert(String table, String key, String columns, String values) {
            return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON CONFLICT (" + key
                    + ") DO UPDATE SET " + otherColumns(key, columns, column -> column + " = EXCLUDED." + column);
        }

        @Override
        String nextGeneration() {
            return "SELECT nextval('autocert4j_change_seq')";
        }

        @Override
        void raiseGeneration(Connection connection, long value) throws SQLException {
            try (PreparedStatement raise = connection.prepareStatement("SELECT setval('autocert4j_change_seq', ?)")) {
                raise.setLong(1, value);
                raise.execute();
            }
        }

        @Override
        boolean schemaTableExists(Connection connection) throws SQLException {
            return queryTrue(connection, "SELECT to_regclass('autocert4j_schema') IS NOT NULL");
        }

        /** A transaction lock: the commit or rollback gives it back. */
        @Override
        void lockSchema(Connection connection) throws SQLException {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, SCHEMA_LOCK);
                lock.execute();
            }
        }

        @Override
        void unlockSchema(Connection connection) {
            // given back with the transaction
        }

        @Override
        boolean takeLease(Connection connection, String domain, String owner, String token, long lengthMillis)
                throws SQLException {
            try (PreparedStatement take = connection.prepareStatement(
                    "INSERT INTO autocert4j_leases (domain, owner, token, acquired_at, expires_at)"
                            + " VALUES (?, ?, ?, " + nowMillis() + ", " + nowMillis() + " + ?)"
                            + " ON CONFLICT (domain) DO UPDATE SET owner = EXCLUDED.owner, token = EXCLUDED.token,"
                            + " acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at"
                            + " WHERE autocert4j_leases.expires_at < " + nowMillis())) {
                take.setString(1, domain);
                take.setString(2, owner);
                take.setString(3, token);
                take.setLong(4, lengthMillis);
                return take.executeUpdate() == 1;
            }
        }
    }

    /**
     * MariaDB 10.3 or later (tested on 10.11): tables in {@code utf8mb4} with a binary, no-pad
     * collation, so names compare byte for byte as in PostgreSQL (never "A" = "a" nor "a " = "a").
     * DDL commits by itself in MariaDB, so the schema lock is a named session lock held until
     * {@link #unlockSchema}, and the schema table is made last: its presence means the schema is complete.
     * Extending a lease counts the rows an UPDATE found, the driver's default ({@code useAffectedRows=false}).
     */
    static final class MariaDb extends SqlDialect {
        /**
         * The name of the schema lock. MariaDB's named locks are per server, not per database: stores of
         * two databases on one server wait for each other only while one of them makes or checks its schema.
         */
        private static final String SCHEMA_LOCK_NAME = "autocert4j_schema";
        /** How long a node waits for another making the schema. */
        private static final int SCHEMA_LOCK_SECONDS = 60;
        /** MariaDB's error code for a duplicate key. */
        private static final int DUPLICATE_KEY = 1062;

        @Override
        String name() {
            return "MariaDB";
        }

        @Override
        String schemaFile(int version) {
            return "schema-" + version + "-mariadb.sql";
        }

        @Override
        String upgradeFile(int version) {
            return "upgrade-" + version + "-mariadb.sql";
        }

        /** UTC_TIMESTAMP is free of the session's time zone, so no daylight saving hour repeats. */
        @Override
        String nowMillis() {
            return "(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)";
        }

        @Override
        String upsert(String table, String key, String columns, String values) {
            return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON DUPLICATE KEY UPDATE "
                    + otherColumns(key, columns, column -> column + " = VALUES(" + column + ")");
        }

        @Override
        String nextGeneration() {
            return "SELECT NEXTVAL(autocert4j_change_seq)";
        }

        /** SETVAL takes no parameters in MariaDB: the number is written into the statement. */
        @Override
        void raiseGeneration(Connection connection, long value) throws SQLException {
            try (PreparedStatement raise = connection.prepareStatement(
                    "SELECT SETVAL(autocert4j_change_seq, " + value + ")")) {
                raise.execute();
            }
        }

        @Override
        boolean schemaTableExists(Connection connection) throws SQLException {
            return queryTrue(connection, "SELECT COUNT(*) > 0 FROM information_schema.tables"
                    + " WHERE table_schema = DATABASE() AND table_name = 'autocert4j_schema'");
        }

        @Override
        void lockSchema(Connection connection) throws SQLException {
            try (PreparedStatement lock = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
                lock.setString(1, SCHEMA_LOCK_NAME);
                lock.setInt(2, SCHEMA_LOCK_SECONDS);
                try (ResultSet result = lock.executeQuery()) {
                    if (!result.next() || result.getInt(1) != 1) {
                        throw new SQLException("another node held the schema lock for " + SCHEMA_LOCK_SECONDS + " s");
                    }
                }
            }
        }

        @Override
        void unlockSchema(Connection connection) throws SQLException {
            try (PreparedStatement unlock = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                unlock.setString(1, SCHEMA_LOCK_NAME);
                unlock.execute();
            }
        }

        /**
         * Deletes the domain's lease if it expired, then inserts this one; a row still there is
         * another node's live lease (the insert fails on the key). The driver's count of an upsert
         * cannot be used: with its default settings it counts a row found but left unchanged as one.
         */
        @Override
        boolean takeLease(Connection connection, String domain, String owner, String token, long lengthMillis)
                throws SQLException {
            try (PreparedStatement expired = connection.prepareStatement(
                    "DELETE FROM autocert4j_leases WHERE domain = ? AND expires_at < " + nowMillis());
                 PreparedStatement take = connection.prepareStatement(
                         "INSERT INTO autocert4j_leases (domain, owner, token, acquired_at, expires_at)"
                                 + " VALUES (?, ?, ?, " + nowMillis() + ", " + nowMillis() + " + ?)")) {
                expired.setString(1, domain);
                expired.executeUpdate();
                take.setString(1, domain);
                take.setString(2, owner);
                take.setString(3, token);
                take.setLong(4, lengthMillis);
                try {
                    return take.executeUpdate() == 1;
                } catch (SQLException e) {
                    if (e.getErrorCode() == DUPLICATE_KEY) {
                        return false;
                    }
                    throw e;
                }
            }
        }
    }

    private static String otherColumns(String key, String columns, UnaryOperator<String> assignment) {
        return Arrays.stream(columns.split(",")).map(String::strip).filter(column -> !column.equals(key))
                .map(assignment).collect(Collectors.joining(", "));
    }

    private static boolean queryTrue(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet result = query.executeQuery()) {
            result.next();
            return result.getBoolean(1);
        }
    }
}
