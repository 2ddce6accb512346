package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStores;
import dev.autocert4j.CertificateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Moves what a 0.2 {@link JdbcCertificateStore} keeps in its tables into the sealed entries of a
 * {@link JdbcStorage} in the same database, once: every row is read (and checked) by the 0.2 store
 * with its store key and written as a sealed entry; only when the last entry is written is the
 * marker {@value #MARKER} written, which makes the migration complete in one step. The 0.2 tables are
 * left as they are (a node of 0.2 still reads them; nothing new is written there). A migration cut
 * short runs again from the 0.2 tables at the next start. Nodes that start together may both
 * migrate: each writes the same content, the later one a generation higher.
 *
 * @since 0.2.0
 */
public final class JdbcVersion02Migration {

    /** The storage key whose presence says the database was migrated. */
    public static final String MARKER = "migrated-from-0.2";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcVersion02Migration.class);

    private JdbcVersion02Migration() {
    }

    /**
     * Migrates the 0.2 tables of a database into a storage in it, if they exist and it was not done yet.
     *
     * @param storage    the storage in the same database
     * @param dataSource the database
     * @param key        the store key of the 0.2 store; the sealed entries use the same key
     * @return whether a migration ran now
     * @throws CertificateStoreException if the 0.2 tables cannot be read
     */
    public static boolean migrateIfNeeded(JdbcStorage storage, DataSource dataSource, StoreKey key) {
        if (storage.get(MARKER).isPresent() || !hasVersion02Tables(dataSource)) {
            return false;
        }
        JdbcCertificateStore old = JdbcCertificateStore.builder(dataSource).key(key).nodeName("migration").build();
        try {
            CertificateStore target = CertificateStores.onStorage(storage, key.toStoreKey());
            List<String> certificates = new ArrayList<>();
            for (String domain : old.domains()) {
                try {
                    old.loadCertificate(domain).ifPresent(certificate -> {
                        target.saveCertificate(certificate);
                        certificates.add(domain + " (serial " + certificate.metadata().serialNumber() + ")");
                    });
                } catch (CertificateStoreException e) {
                    LOG.warn("The 0.2 row of {} is refused and not migrated; it is ordered again when due: {}", domain,
                            e.getMessage());
                }
            }
            Map<String, Map<String, String>> enrollments = old.loadEnrollments();
            enrollments.forEach(target::saveEnrollment);
            List<URI> accounts = accountDirectories(dataSource);
            for (URI directory : accounts) {
                old.loadAccount(directory).ifPresent(target::saveAccount);
            }
            storage.put(MARKER, ("migrated " + Instant.now() + ": " + certificates.size() + " certificates, "
                    + enrollments.size() + " enrollments, " + accounts.size() + " accounts\n").getBytes(StandardCharsets.UTF_8));
            LOG.info("Migrated the 0.2 tables to the sealed storage: certificates {}, enrollments {}, accounts of {}."
                    + " The 0.2 tables are left as they were.", certificates, enrollments.keySet(), accounts);
            return true;
        } finally {
            old.close();
        }
    }

    private static boolean hasVersion02Tables(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metadata = connection.getMetaData();
            for (String name : List.of("autocert4j_certificates", "AUTOCERT4J_CERTIFICATES")) {
                try (ResultSet tables = metadata.getTables(connection.getCatalog(), null, name, null)) {
                    if (tables.next()) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SQLException e) {
            throw new CertificateStoreException("Cannot look for the 0.2 tables in the database: " + e.getMessage(), e);
        }
    }

    private static List<URI> accountDirectories(DataSource dataSource) {
        List<URI> directories = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT ca_directory FROM autocert4j_accounts ORDER BY ca_directory")) {
            while (rows.next()) {
                directories.add(URI.create(rows.getString(1)));
            }
        } catch (SQLException e) {
            throw new CertificateStoreException("Cannot list the 0.2 accounts in the database: " + e.getMessage(), e);
        }
        return directories;
    }
}
