package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateStoreException;

import java.sql.SQLException;

/** The database could not be reached or refused a statement (as opposed to data it returned that is wrong). */
final class DatabaseException extends CertificateStoreException {

    private static final long serialVersionUID = 1L;

    DatabaseException(String message, SQLException cause) {
        super(message, cause);
    }
}
