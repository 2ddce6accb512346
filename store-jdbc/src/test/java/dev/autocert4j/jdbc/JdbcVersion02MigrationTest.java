package dev.autocert4j.jdbc;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStores;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.CheckResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.InMemoryChallengeResponder;
import dev.autocert4j.testkit.PostgresExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL database written by 0.2's JDBC store (the fixture {@code database-0.2}, rows made by
 * {@code WriteVersion02Database} with the store code of 0.2) migrated into the sealed storage in the
 * same database: once, the 0.2 tables left as they were, the same certificates served, nothing ordered.
 */
class JdbcVersion02MigrationTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final String PORTAL = "portal.example.com";
    private static final String ADMIN = "admin.example.com";
    private static final URI CA = URI.create("https://ca.test/dir");

    @TempDir
    Path folder;

    private DataSource dataSource;
    private StoreKey key;
    private Properties expected;
    private final ScheduledThreadPoolExecutor renewalExecutor = new ScheduledThreadPoolExecutor(1);

    @BeforeEach
    void loadTheVersion02Rows() throws Exception {
        Path fixture = Path.of(getClass().getResource("/database-0.2/rows.properties").toURI()).getParent();
        Path keyFile = Files.copy(fixture.resolve("store.key"), folder.resolve("store.key"));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        key = StoreKey.readFrom(keyFile);
        expected = properties(fixture.resolve("expected.properties"));
        dataSource = Databases.plain(POSTGRES.freshDatabase());
        JdbcCertificateStore schemaMaker = JdbcCertificateStore.builder(dataSource).key(key).nodeName("schema").build();
        try {
            assertThat(schemaMaker.domains()).isEmpty(); // its first use makes the 0.2 schema, by 0.2's code
        } finally {
            schemaMaker.close();
        }
        insertRows(properties(fixture.resolve("rows.properties")));
    }

    @AfterEach
    void stopExecutor() {
        renewalExecutor.shutdownNow();
    }

    private CertificateStore migrated() {
        JdbcStorage storage = new JdbcStorage(dataSource);
        JdbcVersion02Migration.migrateIfNeeded(storage, dataSource, key);
        return CertificateStores.onStorage(storage, key.toStoreKey());
    }

    @Test
    void theSameCertificatesEnrollmentsAndAccountAreServedFromTheSealedStorage() throws Exception {
        JdbcCertificateStore old = JdbcCertificateStore.builder(dataSource).key(key).nodeName("reader").build();
        try {
            CertificateStore store = migrated();

            assertThat(store.domains()).containsExactly(ADMIN, PORTAL);
            for (String domain : List.of(PORTAL, ADMIN)) {
                IssuedCertificate certificate = store.loadCertificate(domain).orElseThrow();
                assertThat(certificate.metadata().serialNumber()).isEqualTo(expected.getProperty(domain + ".serial"));
                assertThat(certificate).isEqualTo(old.loadCertificate(domain).orElseThrow());
                assertThat(certificate.privateKey().getEncoded())
                        .isEqualTo(old.loadCertificate(domain).orElseThrow().privateKey().getEncoded());
            }
            assertThat(store.loadEnrollments()).isEqualTo(new TreeMap<>(old.loadEnrollments())).hasSize(2);
            assertThat(Base64.getEncoder().encodeToString(store.loadAccount(CA).orElseThrow().keyPair().getPublic()
                    .getEncoded())).isEqualTo(expected.getProperty("account.publicKey"));
            assertThat(store.loadAccount(CA)).isEqualTo(old.loadAccount(CA));
        } finally {
            old.close();
        }
    }

    @Test
    void itMigratesOnceAndLeavesThe02TablesAsTheyWere() throws Exception {
        List<String> before = rowsOf02Tables();
        CertificateStore store = migrated();
        IssuedCertificate renewed = TestCertificates.issued(List.of(PORTAL, "www." + PORTAL), Instant.now(), Duration.ofDays(90));
        store.saveCertificate(renewed);

        assertThat(JdbcVersion02Migration.migrateIfNeeded(new JdbcStorage(dataSource), dataSource, key)).isFalse();
        assertThat(migrated().loadCertificate(PORTAL)).contains(renewed);
        assertThat(rowsOf02Tables()).isEqualTo(before);
    }

    @Test
    void aDatabaseWithout02TablesHasNothingToMigrate() {
        DataSource empty = Databases.plain(POSTGRES.freshDatabase());
        JdbcStorage storage = new JdbcStorage(empty);

        assertThat(JdbcVersion02Migration.migrateIfNeeded(storage, empty, key)).isFalse();
        assertThat(storage.list("")).isEmpty();
    }

    @Test
    void anAutoCertOnTheMigratedDatabaseServesBothCertificatesAndOrdersNothing() {
        RecordingBindingProvider host = new RecordingBindingProvider("http://portal.example.com:8080",
                "https://admin.example.com:9443");
        try (AutoCert autoCert = AutoCert.builder().certificateAuthority(CertificateAuthority.at(URI.create("https://127.0.0.1:1/dir")))
                .bindingProvider(host).challengeResponder(new InMemoryChallengeResponder())
                .challengeResponder(ChallengeType.TLS_ALPN_01, new InMemoryChallengeResponder())
                .certificateStore(migrated()).renewalExecutor(renewalExecutor).build()) {

            assertThat(autoCert.resume()).containsExactlyInAnyOrder(PORTAL, ADMIN);
            assertThat(host.installed().get(Binding.parse("https://portal.example.com:8443")).metadata().serialNumber())
                    .isEqualTo(expected.getProperty(PORTAL + ".serial"));
            assertThat(host.installed().get(Binding.parse("https://admin.example.com:9443")).metadata().serialNumber())
                    .isEqualTo(expected.getProperty(ADMIN + ".serial"));
            CheckResult checked = autoCert.checkAll();
            assertThat(checked.succeeded()).as(checked.toString()).isTrue();
            assertThat(checked.outcomes()).extracting(CheckResult.Outcome::action).containsOnly(CheckResult.Action.KEPT);
        }
    }

    private void insertRows(Properties rows) throws Exception {
        Map<String, Map<String, Map<String, String>>> byTable = new TreeMap<>();
        for (String name : rows.stringPropertyNames()) {
            String[] parts = name.split("\\.", 3);
            byTable.computeIfAbsent(parts[0], t -> new TreeMap<>()).computeIfAbsent(parts[1], r -> new TreeMap<>())
                    .put(parts[2], rows.getProperty(name));
        }
        try (Connection connection = dataSource.getConnection()) {
            for (var table : byTable.entrySet()) {
                for (Map<String, String> row : table.getValue().values()) {
                    List<String> columns = new ArrayList<>(row.keySet());
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table.getKey() + " ("
                            + String.join(", ", columns) + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)")) {
                        for (int i = 0; i < columns.size(); i++) {
                            String value = row.get(columns.get(i));
                            String text = value.substring(2);
                            switch (value.charAt(0)) {
                                case 'n' -> insert.setObject(i + 1, null);
                                case 'b' -> insert.setBytes(i + 1, Base64.getDecoder().decode(text));
                                case 'l' -> insert.setLong(i + 1, Long.parseLong(text));
                                default -> insert.setString(i + 1, text);
                            }
                        }
                        insert.executeUpdate();
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT setval('autocert4j_change_seq', 100)");
            }
        }
    }

    private List<String> rowsOf02Tables() throws Exception {
        TreeSet<String> rows = new TreeSet<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : List.of("autocert4j_accounts", "autocert4j_certificates", "autocert4j_enrollments")) {
                try (ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
                    while (result.next()) {
                        StringBuilder row = new StringBuilder(table);
                        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                            Object value = result.getObject(i);
                            row.append('|').append(value instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : value);
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return new ArrayList<>(rows);
    }

    private static Properties properties(Path file) throws Exception {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }
}
