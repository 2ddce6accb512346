package dev.autocert4j.jdbc;

/**
 * What {@link JdbcRenewalLock} needs of a database: its dialect, work on a connection, and one
 * changing statement. {@link Database} (the certificate store's tables) and {@link JdbcStorage} (the
 * storage's table) both give it, so both lock with the same leases on the database's clock.
 */
interface LeaseStatements {

    /** @return the dialect of the database */
    SqlDialect dialect();

    /**
     * Runs work on a connection in auto-commit mode.
     *
     * @param doing what the work does, for the message if it fails
     */
    <T> T call(String doing, Database.Work<T> work);

    /**
     * Runs one statement that changes rows.
     *
     * @return how many rows it changed
     */
    int update(String doing, String sql, Object... parameters);
}
