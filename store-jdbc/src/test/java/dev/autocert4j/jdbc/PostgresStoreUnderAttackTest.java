package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store under attack on PostgreSQL, and the upgrade of a schema-1 database (which only
 * PostgreSQL can hold: schema 1 was never written on MariaDB).
 */
class PostgresStoreUnderAttackTest extends JdbcStoreUnderAttackTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @Override
    protected String freshDatabase() {
        return POSTGRES.freshDatabase();
    }

    @Test
    void aSchema1DatabaseIsSealedOnceOnUpgradeByANodeHoldingTheKeyAndRowsThatDoNotCheckOutStayRefused() throws Exception {
        for (String statement : Database.statements("schema-1.sql")) {
            sql(statement);
        }
        sql("INSERT INTO autocert4j_schema (version, key_fingerprint) VALUES (1, '" + KEY.fingerprint() + "')");
        IssuedCertificate a = certificate(A, 10);
        insertVersion1Row(a, KEY);
        insertVersion1Row(certificate(B, 10), StoreKey.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})); // a key this store cannot open
        sql("INSERT INTO autocert4j_enrollments (name, choices, saved_at) VALUES ('" + A + "',"
                + " 'binding=http\\://a.example.com\\:80\\n', '2026-01-01T00:00:00Z')");

        JdbcCertificateStore node = node("node-1");

        assertThat(node.loadCertificate(A)).contains(a);
        assertThat(node.loadEnrollments()).containsOnlyKeys(A);
        assertThatThrownBy(() -> node.loadCertificate(B)).isInstanceOf(RefusedRowException.class)
                .hasMessageContaining("has no seal");
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement();
             var result = statement.executeQuery("SELECT version FROM autocert4j_schema")) {
            result.next();
            assertThat(result.getInt(1)).isEqualTo(2);
        }
        sql("UPDATE autocert4j_certificates SET not_after = '2099-01-01T00:00:00Z', issued_at = '2099-01-01T00:00:00Z'"
                + " WHERE domain = '" + A + "'");
        assertThatThrownBy(() -> node("node-2").loadMetadata(A)).as("sealed from now on")
                .isInstanceOf(RefusedRowException.class);
    }

    private void insertVersion1Row(IssuedCertificate certificate, StoreKey key) throws Exception {
        CertificateMetadata metadata = certificate.metadata();
        try (var connection = dataSource.getConnection(); var insert = connection.prepareStatement(
                "INSERT INTO autocert4j_certificates (domain, names, serial_number, issuer, issued_at, not_before,"
                        + " not_after, ca_directory, account_location, chain_pem, key_algorithm, private_key, change_seq,"
                        + " saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " nextval('autocert4j_change_seq'), 'old-node', '2026-01-01T00:00:00Z')")) {
            insert.setString(1, metadata.domain());
            insert.setString(2, String.join(",", metadata.names()));
            insert.setString(3, metadata.serialNumber());
            insert.setString(4, metadata.issuer());
            insert.setString(5, metadata.issuedAt().toString());
            insert.setString(6, metadata.notBefore().toString());
            insert.setString(7, metadata.notAfter().toString());
            insert.setString(8, metadata.caDirectory().toString());
            insert.setString(9, metadata.accountLocation().toString());
            insert.setString(10, certificate.chainPem());
            insert.setString(11, certificate.privateKey().getAlgorithm());
            insert.setBytes(12, CertificateCodec.sealedKey(certificate, key));
            insert.executeUpdate();
        }
    }
}
