package dev.autocert4j.jdbc;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.ChallengeTokenStore;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.RenewalLock;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the store adds for a cluster, on a real database: keys unusable without the store key,
 * the renewal lease between two nodes (each with its own clock, moved by the test), challenge
 * tokens across nodes, and the change feed. A subclass per database says which
 * ({@link PostgresCertificateStoreTest}, {@link MariaDbCertificateStoreTest}).
 */
abstract class JdbcCertificateStoreTest {

    private static final StoreKey KEY = StoreKey.of(filled(7));
    private static final String DOMAIN = "portal.example.com";

    private final MutableClock clock1 = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final MutableClock clock2 = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final List<JdbcCertificateStore> opened = new ArrayList<>();
    private DataSource dataSource;

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    /** @return the JDBC URL of a new, empty database */
    protected abstract String freshDatabase();

    /** @return the dialect of that database */
    protected abstract SqlDialect dialect();

    @BeforeEach
    void useFreshDatabase() {
        dataSource = Databases.plain(freshDatabase());
    }

    @AfterEach
    void closeStores() {
        opened.forEach(JdbcCertificateStore::close);
    }

    private JdbcCertificateStore node(String name, MutableClock clock) {
        return open(JdbcCertificateStore.builder(dataSource).key(KEY).nodeName(name).clock(clock)
                .leaseLength(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)));
    }

    private JdbcCertificateStore open(JdbcCertificateStore.Builder builder) {
        JdbcCertificateStore store = builder.build();
        opened.add(store);
        return store;
    }

    private byte[] column(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql);
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getBytes(1);
        }
    }

    private String text(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql);
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getString(1);
        }
    }

    @Test
    void theDatabaseHoldsNoUsablePrivateKey() throws Exception {
        IssuedCertificate certificate = TestCertificates.issued(DOMAIN);
        node("node-1", clock1).saveCertificate(certificate);

        byte[] stored = column("SELECT private_key FROM autocert4j_certificates");
        byte[] pkcs8 = certificate.privateKey().getEncoded();

        assertThat(stored).isNotEqualTo(pkcs8);
        assertThat(indexOf(stored, Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)))
                .as("no run of the key's bytes in the column").isNegative();
    }

    @Test
    void aNodeWithAnotherKeyIsRefusedWithBothFingerprints() {
        node("node-1", clock1).saveCertificate(TestCertificates.issued(DOMAIN));
        StoreKey other = StoreKey.of(filled(8));
        JdbcCertificateStore wrong = open(JdbcCertificateStore.builder(dataSource).key(other).nodeName("node-2"));

        assertThatThrownBy(() -> wrong.loadCertificate(DOMAIN)).isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining("store key (fingerprint " + other.fingerprint() + ")")
                .hasMessageContaining("(fingerprint " + KEY.fingerprint() + ")");
    }

    @Test
    void aKeyCopiedIntoAnotherDomainsRowDoesNotOpen() throws Exception {
        JdbcCertificateStore store = node("node-1", clock1);
        store.saveCertificate(TestCertificates.issued(DOMAIN));
        store.saveCertificate(TestCertificates.issued("other.example.com"));
        Databases.copyColumns(dataSource, "autocert4j_certificates", "domain", DOMAIN, "other.example.com", "private_key");

        assertThatThrownBy(() -> store.loadCertificate("other.example.com")).isInstanceOf(CertificateStoreException.class)
                .hasMessageStartingWith("The certificate row of other.example.com in the database is refused: its seal"
                        + " does not verify");
        assertThat(store.loadCertificate(DOMAIN)).isPresent();
    }

    /** Time passes on the database's clock, which is the one leases and tokens expire on. */
    private void databaseTimePasses(String table, Duration duration) throws Exception {
        Databases.update(dataSource, "UPDATE " + table + " SET expires_at = expires_at - " + duration.toMillis()
                + (table.equals("autocert4j_leases") ? ", acquired_at = acquired_at - " + duration.toMillis() : ""));
    }

    @Test
    void oneNodeHoldsTheLeaseTheOtherSeesWhoAndTakesOverOnlyOnceItExpired() throws Exception {
        RenewalLock lock1 = node("node-1", clock1).renewalLock().orElseThrow();
        RenewalLock lock2 = node("node-2", clock2).renewalLock().orElseThrow();

        RenewalLock.Lease held = lock1.tryLock(DOMAIN).orElseThrow();

        assertThat(lock2.tryLock(DOMAIN)).isEmpty();
        assertThat(lock2.holder(DOMAIN)).hasValueSatisfying(holder -> {
            assertThat(holder.owner()).isEqualTo("node-1");
            assertThat(holder.since()).as("on node-2's clock").isBetween(clock2.instant().minusSeconds(30), clock2.instant());
            assertThat(Duration.between(holder.since(), holder.expires())).isEqualTo(Duration.ofMinutes(2));
        });
        assertThat(lock2.tryLock("other.example.com")).as("per domain").isPresent();

        databaseTimePasses("autocert4j_leases", Duration.ofMinutes(2).plusSeconds(1)); // node-1 crashed: nobody extends it
        RenewalLock.Lease takenOver = lock2.tryLock(DOMAIN).orElseThrow();

        assertThatThrownBy(held::confirm).isInstanceOf(AutoCertException.class)
                .hasMessageContaining("is no longer node-1's");
        held.close();
        assertThat(lock1.holder(DOMAIN)).as("closing a lost lease leaves the new holder's")
                .hasValueSatisfying(holder -> assertThat(holder.owner()).isEqualTo("node-2"));
        takenOver.confirm();
        takenOver.close();
        assertThat(lock1.holder(DOMAIN)).isEmpty();
        assertThat(lock1.tryLock(DOMAIN)).isPresent();
    }

    @Test
    void confirmingExtendsTheLease() throws Exception {
        RenewalLock lock1 = node("node-1", clock1).renewalLock().orElseThrow();
        RenewalLock lock2 = node("node-2", clock2).renewalLock().orElseThrow();
        RenewalLock.Lease held = lock1.tryLock(DOMAIN).orElseThrow();

        databaseTimePasses("autocert4j_leases", Duration.ofMinutes(1));
        held.confirm();
        databaseTimePasses("autocert4j_leases", Duration.ofSeconds(90));

        assertThat(lock2.tryLock(DOMAIN)).as("extended by two minutes from the confirmation").isEmpty();
    }

    @Test
    void aNodeWhoseClockRunsHoursAheadDoesNotTakeALiveLeaseNorOneBehindKeepAnExpiredOne() throws Exception {
        Instant now = Instant.now();
        RenewalLock onTime = node("on-time", new MutableClock(now)).renewalLock().orElseThrow();
        RenewalLock ahead = node("ahead", new MutableClock(now.plus(Duration.ofHours(6)))).renewalLock().orElseThrow();
        RenewalLock behind = node("behind", new MutableClock(now.minus(Duration.ofHours(6)))).renewalLock().orElseThrow();

        RenewalLock.Lease held = onTime.tryLock(DOMAIN).orElseThrow();
        assertThat(ahead.tryLock(DOMAIN)).as("six hours ahead, the lease is still live").isEmpty();
        assertThat(ahead.holder(DOMAIN)).as("shown on the fast node's clock, still running")
                .hasValueSatisfying(holder -> assertThat(holder.expires()).isAfter(now.plus(Duration.ofHours(6))));
        held.close();

        RenewalLock.Lease heldBehind = behind.tryLock(DOMAIN).orElseThrow();
        databaseTimePasses("autocert4j_leases", Duration.ofMinutes(2).plusSeconds(1));
        assertThat(onTime.tryLock(DOMAIN)).as("the slow node's lease expired on the database's clock").isPresent();
        assertThatThrownBy(heldBehind::confirm).isInstanceOf(AutoCertException.class);
    }

    @Test
    void aLeaseIsTakenByExactlyOneOfManyNodesAtOnce() throws Exception {
        int nodes = 8;
        List<RenewalLock> locks = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            locks.add(node("node-" + i, clock1).renewalLock().orElseThrow());
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<Optional<RenewalLock.Lease>>> attempts = new ArrayList<>();
            for (RenewalLock lock : locks) {
                Callable<Optional<RenewalLock.Lease>> attempt = () -> {
                    start.await();
                    return lock.tryLock(DOMAIN);
                };
                attempts.add(threads.submit(attempt));
            }
            start.countDown();
            int taken = 0;
            for (Future<Optional<RenewalLock.Lease>> attempt : attempts) {
                taken += attempt.get(30, TimeUnit.SECONDS).isPresent() ? 1 : 0;
            }
            assertThat(taken).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aTokenOneNodePublishesAnotherFindsUntilItIsWithdrawnOrExpires() throws Exception {
        ChallengeTokenStore tokens1 = node("node-1", clock1).challengeTokens();
        ChallengeTokenStore tokens2 = node("node-2", clock2).challengeTokens();

        tokens1.put(DOMAIN, "tok-1", "tok-1.thumb");
        tokens1.put(DOMAIN, "tok-2", "tok-2.thumb");

        assertThat(tokens2.find("tok-1")).contains(new ChallengeTokenStore.Answer(DOMAIN, "tok-1.thumb"));
        tokens1.remove("tok-1");
        assertThat(tokens2.find("tok-1")).isEmpty();
        databaseTimePasses("autocert4j_challenges", Duration.ofHours(1).plusSeconds(1));
        assertThat(tokens2.find("tok-2")).as("expired").isEmpty();
        assertThat(tokens2.find("never-published")).isEmpty();
    }

    @Test
    void tokensManyNodesPublishAtOnceAreAllAnswered() throws Exception {
        int nodes = 8;
        List<ChallengeTokenStore> tokens = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            tokens.add(node("node-" + i, clock1).challengeTokens());
        }
        tokens.get(0).put(DOMAIN, "already-there", "already-there.thumb");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                ChallengeTokenStore node = tokens.get(i);
                String token = "tok-" + i;
                puts.add(threads.submit(() -> {
                    start.await();
                    node.put(DOMAIN, token, token + ".thumb");
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> put : puts) {
                put.get(30, TimeUnit.SECONDS); // a deadlock between the publishing transactions would fail here
            }
        } finally {
            threads.shutdownNow();
        }
        for (int i = 0; i < nodes; i++) {
            assertThat(tokens.get(nodes - 1 - i).find("tok-" + i)).contains(new ChallengeTokenStore.Answer(DOMAIN,
                    "tok-" + i + ".thumb"));
        }
    }

    @Test
    void tokensExpireOnTheDatabasesClockNotOnANodeWhoseClockRunsAhead() {
        Instant now = Instant.now();
        ChallengeTokenStore onTime = node("on-time", new MutableClock(now)).challengeTokens();
        ChallengeTokenStore ahead = node("ahead", new MutableClock(now.plus(Duration.ofHours(6)))).challengeTokens();

        onTime.put(DOMAIN, "tok-1", "tok-1.thumb");
        ahead.put(DOMAIN, "tok-2", "tok-2.thumb"); // deletes expired tokens: tok-1 is not

        assertThat(ahead.find("tok-1")).contains(new ChallengeTokenStore.Answer(DOMAIN, "tok-1.thumb"));
        assertThat(onTime.find("tok-1")).isPresent();
    }

    @Test
    void namesThatDifferInCaseOrTrailingSpacesOnlyAreDifferentRows() {
        JdbcCertificateStore store = node("node-1", clock1);
        ChallengeTokenStore tokens = store.challengeTokens();

        tokens.put(DOMAIN, "tok", "tok.thumb");
        tokens.put(DOMAIN, "TOK", "TOK.thumb");
        tokens.put(DOMAIN, "tok ", "tok-space.thumb");
        store.saveEnrollment("a.example.com", Map.of("binding", "http://a.example.com:80"));
        store.saveEnrollment("A.example.com", Map.of("binding", "http://A.example.com:80"));

        assertThat(tokens.find("tok")).contains(new ChallengeTokenStore.Answer(DOMAIN, "tok.thumb"));
        assertThat(tokens.find("TOK")).contains(new ChallengeTokenStore.Answer(DOMAIN, "TOK.thumb"));
        assertThat(tokens.find("tok ")).contains(new ChallengeTokenStore.Answer(DOMAIN, "tok-space.thumb"));
        assertThat(tokens.find("Tok")).isEmpty();
        assertThat(store.loadEnrollments()).containsOnlyKeys("a.example.com", "A.example.com");
    }

    @Test
    void theChangeFeedTellsOtherNodesOfASavedCertificateButNotTheNodeThatSavedIt() throws Exception {
        JdbcCertificateStore node1 = node("node-1", clock1);
        JdbcCertificateStore node2 = node("node-2", clock2);
        BlockingQueue<String> heardBy1 = new LinkedBlockingQueue<>();
        BlockingQueue<String> heardBy2 = new LinkedBlockingQueue<>();
        node1.watch(heardBy1::add);
        AutoCloseable watching2 = node2.watch(heardBy2::add);

        node1.saveCertificate(TestCertificates.issued(DOMAIN));

        assertThat(heardBy2.poll(10, TimeUnit.SECONDS)).isEqualTo(DOMAIN);
        node2.saveCertificate(TestCertificates.issued("other.example.com"));
        assertThat(heardBy1.poll(10, TimeUnit.SECONDS)).as("node-1 hears node-2's save, and only that")
                .isEqualTo("other.example.com");
        watching2.close();
    }

    @Test
    void tablesADbaCreatedFromTheDocumentedFileAreUsedAsTheyAre() throws Exception {
        for (String statement : Database.schemaStatements(dialect())) {
            Databases.update(dataSource, statement);
        }

        JdbcCertificateStore store = node("node-1", clock1);
        store.saveCertificate(TestCertificates.issued(DOMAIN));

        assertThat(store.loadCertificate(DOMAIN)).isPresent();
        assertThat(text("SELECT key_fingerprint FROM autocert4j_schema")).isEqualTo(KEY.fingerprint());
    }

    @Test
    void nodesStartingTogetherMakeTheSchemaOnce() throws Exception {
        int nodes = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<List<String>>> attempts = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                JdbcCertificateStore store = node("node-" + i, clock1);
                attempts.add(threads.submit(() -> {
                    start.await();
                    return store.domains();
                }));
            }
            start.countDown();
            for (Future<List<String>> attempt : attempts) {
                assertThat(attempt.get(30, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(text("SELECT count(*) FROM autocert4j_schema")).isEqualTo("1");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
