package dev.autocert4j.jdbc;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A data source that opens a connection to a JDBC URL per use, through the driver the class path
 * or module path offers: what a store chosen by name gets when the host hands it no pool. The
 * password is held here, never in the URL.
 */
final class UrlDataSource implements DataSource {

    private static final int LOGIN_TIMEOUT_SECONDS = 5;

    private final String url;
    private final String password;

    UrlDataSource(String url, String password) {
        this.url = url;
        this.password = password;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Properties properties = new Properties();
        if (password != null) {
            properties.setProperty("password", password);
        }
        DriverManager.setLoginTimeout(LOGIN_TIMEOUT_SECONDS);
        return DriverManager.getConnection(url, properties);
    }

    @Override
    public Connection getConnection(String username, String userPassword) throws SQLException {
        throw new SQLFeatureNotSupportedException("the user and password come from the store's settings");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // logs go through SLF4J
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // fixed: a store must not wait long for a database that is down
    }

    @Override
    public int getLoginTimeout() {
        return LOGIN_TIMEOUT_SECONDS;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("logs go through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return "UrlDataSource[" + url + "]";
    }
}
