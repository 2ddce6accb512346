package dev.autocert4j.jdbc;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.ChallengeTokenStore;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.testkit.PostgresExtension;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store against someone who can write to the database but does not have the store key: with
 * plain SQL on a real PostgreSQL they edit the columns that drive decisions, swap rows between names,
 * copy back an older row, cut sealed values short, forge challenge tokens and delete rows. Nothing
 * they write is served; a refused row is a {@link CertificateStoreException} for its name alone, and
 * the other names still load. Deleting is denial of service, nothing more.
 */
class JdbcStoreUnderAttackTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final StoreKey KEY = StoreKey.of(new byte[32]);
    private static final String A = "a.example.com";
    private static final String B = "b.example.com";
    private static final String OTHER = "other.example.com";

    @TempDir
    Path folder;

    private DataSource dataSource;
    private final List<JdbcCertificateStore> opened = new ArrayList<>();

    @BeforeEach
    void freshDatabase() {
        dataSource = Databases.plain(POSTGRES.freshDatabase());
    }

    @AfterEach
    void closeStores() {
        opened.forEach(JdbcCertificateStore::close);
    }

    /** A node with its local copy (and so its record of seen generations) in its own folder. */
    private JdbcCertificateStore node(String name) {
        JdbcCertificateStore store = JdbcCertificateStore.builder(dataSource).key(KEY).nodeName(name)
                .localCopy(folder.resolve(name)).build();
        opened.add(store);
        return store;
    }

    private JdbcCertificateStore nodeWithoutLocalState(String name) {
        JdbcCertificateStore store = JdbcCertificateStore.builder(dataSource).key(KEY).nodeName(name).build();
        opened.add(store);
        return store;
    }

    private void sql(String statement) throws Exception {
        Databases.update(dataSource, statement);
    }

    private static IssuedCertificate certificate(String domain, int daysAgo) {
        return TestCertificates.issued(domain, Instant.now().minus(Duration.ofDays(daysAgo)), Duration.ofDays(90));
    }

    @Test
    void editedValidityNamesAndSerialColumnsAreNeverBelievedTheCertificateIsRead() throws Exception {
        JdbcCertificateStore node = node("node-1");
        IssuedCertificate expiring = certificate(A, 89);
        node.saveCertificate(expiring);

        sql("UPDATE autocert4j_certificates SET not_after = '2099-01-01T00:00:00Z', not_before = '2000-01-01T00:00:00Z',"
                + " serial_number = 'dead', names = 'a.example.com,evil.example.com', issuer = 'CN=Evil'");

        CertificateMetadata read = node.loadMetadata(A).orElseThrow();
        assertThat(read.notAfter()).isEqualTo(expiring.leaf().getNotAfter().toInstant()).isBefore(Instant.now().plus(Duration.ofDays(2)));
        assertThat(read).isEqualTo(expiring.metadata());
        assertThat(node.loadAllMetadata(List.of(A))).containsEntry(A, expiring.metadata());
        assertThat(node("node-2").loadCertificate(A).orElseThrow().metadata()).isEqualTo(expiring.metadata());
    }

    @Test
    void anEditedSealedColumnIsRefusedForThatNameAloneAndLoggedAsRefused() throws Exception {
        JdbcCertificateStore node = node("node-1");
        node.saveCertificate(certificate(A, 10));
        IssuedCertificate other = certificate(OTHER, 10);
        node.saveCertificate(other);

        sql("UPDATE autocert4j_certificates SET issued_at = '2099-01-01T00:00:00Z', ca_directory = 'https://evil.test/dir'"
                + " WHERE domain = '" + A + "'");

        assertThatThrownBy(() -> node.loadCertificate(A)).isInstanceOf(CertificateStoreException.class)
                .isInstanceOf(RefusedRowException.class)
                .hasMessageContaining("certificate row of " + A).hasMessageContaining("seal does not verify");
        assertThatThrownBy(() -> node.loadMetadata(A)).isInstanceOf(RefusedRowException.class);
        assertThat(node.loadAllMetadata(List.of(A, OTHER))).as("left out, the other names go on")
                .containsOnlyKeys(OTHER);
        assertThat(node.loadCertificate(OTHER)).contains(other);
    }

    @Test
    void aRowRenamedOrSwappedToAnotherNameIsRefused() throws Exception {
        JdbcCertificateStore node = node("node-1");
        IssuedCertificate a = certificate(A, 10);
        node.saveCertificate(a);
        node.saveCertificate(certificate(B, 10));
        IssuedCertificate other = certificate(OTHER, 10);
        node.saveCertificate(other);

        // B's row gets A's content, every column but the name
        sql("UPDATE autocert4j_certificates t SET names = s.names, serial_number = s.serial_number, issuer = s.issuer,"
                + " issued_at = s.issued_at, not_before = s.not_before, not_after = s.not_after, chain_pem = s.chain_pem,"
                + " key_algorithm = s.key_algorithm, private_key = s.private_key, change_seq = s.change_seq, seal = s.seal"
                + " FROM autocert4j_certificates s WHERE s.domain = '" + A + "' AND t.domain = '" + B + "'");

        assertThatThrownBy(() -> node.loadCertificate(B)).isInstanceOf(RefusedRowException.class)
                .hasMessageContaining("seal does not verify");
        assertThat(node.loadCertificate(A)).contains(a);

        sql("UPDATE autocert4j_certificates SET domain = 'renamed.example.com' WHERE domain = '" + A + "'");
        assertThatThrownBy(() -> node.loadCertificate("renamed.example.com")).isInstanceOf(RefusedRowException.class);
        assertThat(node.loadCertificate(OTHER)).contains(other);
    }

    @Test
    void anOlderRowCopiedBackIsRefusedByTheRunningNodeAndByTheNodeStartedAgain() throws Exception {
        JdbcCertificateStore node = node("node-1");
        IssuedCertificate v1 = certificate(A, 60);
        node.saveCertificate(v1);
        IssuedCertificate other = certificate(OTHER, 10);
        node.saveCertificate(other);
        sql("CREATE TABLE snapshot AS SELECT * FROM autocert4j_certificates WHERE domain = '" + A + "'");
        IssuedCertificate v2 = certificate(A, 0);
        node.saveCertificate(v2);
        JdbcCertificateStore peer = node("node-2");
        assertThat(peer.loadCertificate(A)).as("a peer sees v2 once").contains(v2);

        sql("DELETE FROM autocert4j_certificates WHERE domain = '" + A + "'");
        sql("INSERT INTO autocert4j_certificates SELECT * FROM snapshot");

        assertThatThrownBy(() -> node.loadCertificate(A)).as("the node that wrote v2")
                .isInstanceOf(RefusedRowException.class).hasMessageContaining("older row copied back");
        assertThatThrownBy(() -> peer.loadMetadata(A)).as("the peer that read v2").isInstanceOf(RefusedRowException.class);
        assertThat(peer.loadAllMetadata(List.of(A, OTHER))).containsOnlyKeys(OTHER);

        node.close();
        JdbcCertificateStore startedAgain = JdbcCertificateStore.builder(dataSource).key(KEY).nodeName("node-1")
                .localCopy(folder.resolve("node-1")).build();
        opened.add(startedAgain);
        assertThatThrownBy(() -> startedAgain.loadCertificate(A)).as("started again with its local state")
                .isInstanceOf(RefusedRowException.class).hasMessageContaining("older row copied back");
        assertThat(startedAgain.loadCertificate(OTHER)).contains(other);
    }

    @Test
    void aNodeWithNoLocalStateAtAllCannotTellAnOldRowCopiedBackBeforeItsFirstRead() throws Exception {
        // the limit, written down: such a node has seen nothing, so an authentic older row looks current to it
        JdbcCertificateStore writer = node("node-1");
        IssuedCertificate v1 = certificate(A, 60);
        writer.saveCertificate(v1);
        sql("CREATE TABLE snapshot AS SELECT * FROM autocert4j_certificates");
        writer.saveCertificate(certificate(A, 0));
        sql("DELETE FROM autocert4j_certificates");
        sql("INSERT INTO autocert4j_certificates SELECT * FROM snapshot");

        assertThat(nodeWithoutLocalState("stateless").loadCertificate(A)).contains(v1);
    }

    @Test
    void aSealedValueCutShortIsRefused() throws Exception {
        JdbcCertificateStore node = node("node-1");
        node.saveCertificate(certificate(A, 10));
        node.saveCertificate(certificate(B, 10));
        IssuedCertificate other = certificate(OTHER, 10);
        node.saveCertificate(other);

        sql("UPDATE autocert4j_certificates SET private_key = substring(private_key from 1 for 20) WHERE domain = '" + A + "'");
        sql("UPDATE autocert4j_certificates SET seal = substring(seal from 1 for 16) WHERE domain = '" + B + "'");

        assertThatThrownBy(() -> node.loadCertificate(A)).isInstanceOf(RefusedRowException.class);
        assertThatThrownBy(() -> node.loadCertificate(B)).isInstanceOf(RefusedRowException.class);
        sql("UPDATE autocert4j_certificates SET chain_pem = substring(chain_pem from 1 for 200), seal = NULL"
                + " WHERE domain = '" + B + "'");
        assertThatThrownBy(() -> node.loadCertificate(B)).isInstanceOf(RefusedRowException.class)
                .hasMessageContaining("has no seal");
        assertThat(node.loadCertificate(OTHER)).contains(other);
    }

    @Test
    void aDeletedRowIsDenialOfServiceOnly() throws Exception {
        JdbcCertificateStore node = node("node-1");
        node.saveCertificate(certificate(A, 10));
        IssuedCertificate other = certificate(OTHER, 10);
        node.saveCertificate(other);

        sql("DELETE FROM autocert4j_certificates WHERE domain = '" + A + "'");

        assertThat(node.loadCertificate(A)).isEmpty();
        assertThat(node.loadAllMetadata(List.of(A, OTHER))).containsOnlyKeys(OTHER);
        IssuedCertificate again = certificate(A, 0);
        node.saveCertificate(again);
        assertThat(node.loadCertificate(A)).as("a new save after the deletion is newer than all seen").contains(again);
    }

    @Test
    void forgedEditedReplayedAndSwappedEnrollmentsAreLeftOutTheOthersLoad() throws Exception {
        JdbcCertificateStore node = node("node-1");
        node.saveEnrollment(A, Map.of("binding", "http://a.example.com:80", "challenge", "http-01"));
        node.saveEnrollment(B, Map.of("binding", "http://b.example.com:80"));
        node.saveEnrollment(OTHER, Map.of("binding", "http://other.example.com:80"));
        sql("CREATE TABLE snapshot AS SELECT * FROM autocert4j_enrollments WHERE name = '" + OTHER + "'");
        node.saveEnrollment(OTHER, Map.of("binding", "http://other.example.com:8080"));
        assertThat(node.loadEnrollments()).hasSize(3);

        sql("UPDATE autocert4j_enrollments SET choices = 'binding=http\\://a.example.com\\:80\\nchallenge=dns-01\\n'"
                + " WHERE name = '" + A + "'");
        sql("INSERT INTO autocert4j_enrollments (name, choices, saved_at) VALUES ('forged.example.com',"
                + " 'binding=http\\://forged.example.com\\:80\\n', '2026-01-01T00:00:00Z')");
        sql("DELETE FROM autocert4j_enrollments WHERE name = '" + OTHER + "'");
        sql("INSERT INTO autocert4j_enrollments SELECT * FROM snapshot");

        assertThat(node.loadEnrollments()).containsOnlyKeys(B);
        sql("UPDATE autocert4j_enrollments t SET choices = s.choices, generation = s.generation, seal = s.seal"
                + " FROM autocert4j_enrollments s WHERE s.name = '" + B + "' AND t.name = '" + A + "'");
        assertThat(node.loadEnrollments()).as("B's row under A's name").containsOnlyKeys(B);
    }

    @Test
    void anEditedAccountIsRefused() throws Exception {
        JdbcCertificateStore node = node("node-1");
        URI ca = URI.create("https://ca.test/dir");
        node.saveAccount(new AcmeAccount(ca, KeyType.EC_P256.generate(), URI.create("https://ca.test/acct/1")));
        assertThat(node.loadAccount(ca)).isPresent();

        sql("UPDATE autocert4j_accounts SET location = 'https://ca.test/acct/attacker'");

        assertThatThrownBy(() -> node.loadAccount(ca)).isInstanceOf(RefusedRowException.class)
                .hasMessageContaining("account row of " + ca);
    }

    @Test
    void aTokenRowWrittenWithoutTheStoreKeyIsNeverAnswered() throws Exception {
        ChallengeTokenStore tokens = node("node-1").challengeTokens();
        tokens.put(A, "real", "real.thumb");
        tokens.put(A, "edited", "edited.thumb");

        sql("INSERT INTO autocert4j_challenges (token, domain, key_authorization, expires_at)"
                + " VALUES ('forged', '" + A + "', 'forged.attacker', 9999999999999)");
        sql("UPDATE autocert4j_challenges SET key_authorization = 'edited.attacker' WHERE token = 'edited'");
        sql("INSERT INTO autocert4j_challenges (token, domain, key_authorization, expires_at, seal)"
                + " SELECT 'copied', domain, key_authorization, expires_at, seal FROM autocert4j_challenges WHERE token = 'real'");

        ChallengeTokenStore otherNode = node("node-2").challengeTokens();
        assertThat(otherNode.find("forged")).isEmpty();
        assertThat(otherNode.find("edited")).isEmpty();
        assertThat(otherNode.find("copied")).as("a sealed row under another token").isEmpty();
        assertThat(otherNode.find("real")).contains(new ChallengeTokenStore.Answer(A, "real.thumb"));
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
