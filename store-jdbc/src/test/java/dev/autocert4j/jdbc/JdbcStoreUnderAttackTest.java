package dev.autocert4j.jdbc;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.ChallengeTokenStore;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
 * plain SQL on a real database they edit the columns that drive decisions, swap rows between names,
 * copy back an older row, cut sealed values short, forge challenge tokens and delete rows. Nothing
 * they write is served; a refused row is a {@link CertificateStoreException} for its name alone, and
 * the other names still load. Deleting is denial of service, nothing more. A subclass per database
 * says which ({@link PostgresStoreUnderAttackTest}, {@link MariaDbStoreUnderAttackTest}).
 */
abstract class JdbcStoreUnderAttackTest {

    static final StoreKey KEY = StoreKey.of(new byte[32]);
    static final String A = "a.example.com";
    static final String B = "b.example.com";
    static final String OTHER = "other.example.com";

    @TempDir
    Path folder;

    DataSource dataSource;
    private final List<JdbcCertificateStore> opened = new ArrayList<>();

    /** @return the JDBC URL of a new, empty database */
    protected abstract String freshDatabase();

    @BeforeEach
    void useFreshDatabase() {
        dataSource = Databases.plain(freshDatabase());
    }

    @AfterEach
    void closeStores() {
        opened.forEach(JdbcCertificateStore::close);
    }

    /** A node with its local copy (and so its record of seen generations) in its own folder. */
    JdbcCertificateStore node(String name) {
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

    void sql(String statement) throws Exception {
        Databases.update(dataSource, statement);
    }

    static IssuedCertificate certificate(String domain, int daysAgo) {
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
        Databases.copyColumns(dataSource, "autocert4j_certificates", "domain", A, B, "names", "serial_number", "issuer",
                "issued_at", "not_before", "not_after", "chain_pem", "key_algorithm", "private_key", "change_seq", "seal");

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
        Databases.copyColumns(dataSource, "autocert4j_enrollments", "name", B, A, "choices", "generation", "seal");
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
    void anAccountsContactsAndAcceptedTermsAreSealedWithIt() throws Exception {
        JdbcCertificateStore node = node("node-1");
        URI ca = URI.create("https://ca.test/dir");
        AcmeAccount account = new AcmeAccount(ca, KeyType.EC_P256.generate(), URI.create("https://ca.test/acct/1"),
                List.of("admin@example.com"), URI.create("https://ca.test/terms-v1"));
        node.saveAccount(account);
        assertThat(node("node-2").loadAccount(ca)).contains(account);

        sql("UPDATE autocert4j_accounts SET contacts = 'attacker@evil.test'");
        assertThatThrownBy(() -> node.loadAccount(ca)).as("an edited contact").isInstanceOf(RefusedRowException.class);

        node.saveAccount(account);
        sql("UPDATE autocert4j_accounts SET accepted_terms_of_service = 'https://ca.test/terms-v2'");
        assertThatThrownBy(() -> node.loadAccount(ca)).as("edited terms").isInstanceOf(RefusedRowException.class);

        node.saveAccount(account);
        sql("UPDATE autocert4j_accounts SET contacts = NULL, accepted_terms_of_service = NULL");
        assertThatThrownBy(() -> node.loadAccount(ca)).as("both cleared, to pass for a row of before 0.2.0")
                .isInstanceOf(RefusedRowException.class);
    }

    @Test
    void contactsWrittenIntoAnAccountRowSealedWithoutThemAreIgnored() throws Exception {
        JdbcCertificateStore node = node("node-1");
        URI ca = URI.create("https://ca.test/dir");
        node.saveAccount(new AcmeAccount(ca, KeyType.EC_P256.generate(), URI.create("https://ca.test/acct/1")));

        sql("UPDATE autocert4j_accounts SET contacts = 'attacker@evil.test',"
                + " accepted_terms_of_service = 'https://evil.test/terms'");

        AcmeAccount loaded = node.loadAccount(ca).orElseThrow();
        assertThat(loaded.location()).isEqualTo(URI.create("https://ca.test/acct/1"));
        assertThat(loaded.contacts()).isEmpty();
        assertThat(loaded.acceptedTermsOfService()).isEmpty();
    }

    @Test
    void aDatabaseWithoutTheAccountRegistrationColumnsGetsThemAndItsAccountsStillLoad() throws Exception {
        URI ca = URI.create("https://ca.test/dir");
        AcmeAccount stored = new AcmeAccount(ca, KeyType.EC_P256.generate(), URI.create("https://ca.test/acct/1"));
        node("node-1").saveAccount(stored);
        sql("ALTER TABLE autocert4j_accounts DROP COLUMN contacts");
        sql("ALTER TABLE autocert4j_accounts DROP COLUMN accepted_terms_of_service");

        JdbcCertificateStore upgraded = node("node-2");
        assertThat(upgraded.loadAccount(ca)).as("a row saved before the columns existed").contains(stored);
        AcmeAccount registered = stored.withRegistration(List.of("admin@example.com"), URI.create("https://ca.test/terms"));
        upgraded.saveAccount(registered);
        assertThat(node("node-3").loadAccount(ca)).contains(registered);
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
}
