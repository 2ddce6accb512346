package dev.autocert4j.jdbc;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.ChallengeTokenStore;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.RenewalLock;
import dev.autocert4j.spi.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A {@link CertificateStore} in PostgreSQL (12 or later) or MariaDB (10.3 or later; tested on
 * 10.11), shared by every node of a cluster:
 * <ul>
 *   <li>accounts, certificates and enrollments in tables it creates and versions itself
 *       ({@code schema-2.sql} in this package documents them, {@code schema-2-mariadb.sql} for
 *       MariaDB); private keys sealed with the
 *       {@link StoreKey} (AES-256-GCM), so the database alone holds no usable key;</li>
 *   <li>rows nobody without the store key can forge or replay: each row is sealed (HMAC-SHA256
 *       under a key derived from the store key) with its name, kind and a generation that grows
 *       at every write; names and validity are read from the certificate itself; a row edited,
 *       moved to another name, cut short, or older than one this node has seen (remembered in the
 *       local copy across restarts) is refused, logged once, and its name treated as missing;</li>
 *   <li>a {@link #renewalLock() renewal lock}: a lease per domain with an owner, so one node renews
 *       a certificate and the others install it;</li>
 *   <li>{@link #challengeTokens() challenge tokens} every node answers
 *       ({@code Http01Responder.sharedThrough(store.challengeTokens())});</li>
 *   <li>a {@link #watch change feed}: each node polls for certificates other nodes saved (every
 *       2 s by default, one indexed query) and installs them;</li>
 *   <li>optionally a {@linkplain Builder#localCopy local copy}: an encrypted folder of what this
 *       node last read or wrote, so that it starts and serves while the database is down, and keeps
 *       a certificate the database could not take until it can.</li>
 * </ul>
 * It works with any connection pool; connections are taken per statement or transaction and never
 * held while the CA is called. Thread-safe; {@link #close()} stops its background thread.
 *
 * <pre>{@code
 * JdbcCertificateStore store = JdbcCertificateStore.builder(dataSource)
 *         .key(StoreKey.readFrom(Path.of("/etc/portal/autocert4j.key")))
 *         .nodeName("portal-1")
 *         .localCopy(Path.of("/var/lib/portal/autocert4j"))
 *         .build();
 * Http01Responder challenges = Http01Responder.sharedThrough(store.challengeTokens());
 * }</pre>
 *
 * @since 0.2.0
 */
public final class JdbcCertificateStore implements CertificateStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcCertificateStore.class);
    /** How many names one query of {@link #loadAllMetadata} asks for. */
    private static final int NAMES_PER_QUERY = 500;

    private final Database database;
    private final StoreKey key;
    private final String nodeName;
    private final Clock clock;
    private final Duration pollInterval;
    private final LocalCopy localCopy;
    private final SealedRows rows;
    private final ScheduledExecutorService background;
    private final JdbcRenewalLock renewalLock;
    private final JdbcChallengeTokens challengeTokens;
    private volatile boolean databaseDownReported;

    private JdbcCertificateStore(Builder builder) {
        this.key = builder.key;
        this.localCopy = builder.localCopy == null ? null : new LocalCopy(builder.localCopy, key);
        this.rows = new SealedRows(key, new SeenGenerations(builder.localCopy, key));
        this.database = new Database(builder.dataSource, key, this::sealRowsOfVersion1);
        this.nodeName = builder.nodeName;
        this.clock = builder.clock;
        this.pollInterval = builder.pollInterval;
        this.background = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("autocert4j-jdbc"));
        this.renewalLock = new JdbcRenewalLock(database, nodeName, builder.leaseLength, clock, background);
        this.challengeTokens = new JdbcChallengeTokens(database, rows);
    }

    /**
     * @param dataSource where the tables are (a pool such as HikariCP, or any {@link DataSource})
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** @return this node's name, as the renewal lock and the status show it */
    public String nodeName() {
        return nodeName;
    }

    @Override
    public Optional<RenewalLock> renewalLock() {
        return Optional.of(renewalLock);
    }

    /** @return the challenge tokens every node shares, for {@code Http01Responder.sharedThrough} */
    public ChallengeTokenStore challengeTokens() {
        return challengeTokens;
    }

    /** @return {@link #challengeTokens()}: every node shares them */
    @Override
    public Optional<ChallengeTokenStore> sharedChallengeTokens() {
        return Optional.of(challengeTokens);
    }

    // ---- accounts ----

    @Override
    public Optional<AcmeAccount> loadAccount(URI caDirectory) {
        String name = caDirectory.toString();
        Optional<AcmeAccount> account = database.call("reading the ACME account", connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT location, key_algorithm, public_key,"
                    + " private_key, generation, seal, contacts, accepted_terms_of_service FROM autocert4j_accounts"
                    + " WHERE ca_directory = ?")) {
                query.setString(1, name);
                try (ResultSet result = query.executeQuery()) {
                    if (!result.next()) {
                        return Optional.empty();
                    }
                    String location = result.getString(1);
                    String[] registration = sealedRegistration(name, result);
                    KeyPair keyPair = accountKeys(result.getString(2), result.getBytes(3), result.getBytes(4),
                            "account:" + caDirectory);
                    return Optional.of(new AcmeAccount(caDirectory, keyPair, location == null ? null : URI.create(location),
                            registration[0] == null ? List.of() : List.of(registration[0].split(",")),
                            registration[1] == null ? null : URI.create(registration[1])));
                }
            }
        });
        rows.persistSeen();
        return account;
    }

    /**
     * Checks an account row's seal and returns its contacts and accepted Terms of Service link. A row
     * that a node older than 0.2.0 saved has a seal over the other columns only: it is taken without
     * them, as is a row whose two new columns someone without the store key filled in.
     */
    private String[] sealedRegistration(String name, ResultSet result) throws SQLException {
        String contacts = result.getString(7);
        String terms = result.getString(8);
        long generation = result.getLong(5);
        byte[] seal = result.getBytes(6);
        Object[] withRegistration = accountFields(result.getString(1), result.getString(2), result.getBytes(3),
                result.getBytes(4), contacts, terms);
        if ((contacts != null || terms != null) && rows.sealVerifies(RowSeal.Kind.ACCOUNT, name, generation, seal,
                withRegistration)) {
            rows.requireSealedAndNew(RowSeal.Kind.ACCOUNT, name, generation, seal, withRegistration);
            return new String[] {contacts, terms};
        }
        rows.requireSealedAndNew(RowSeal.Kind.ACCOUNT, name, generation, seal,
                accountFields(result.getString(1), result.getString(2), result.getBytes(3), result.getBytes(4), null, null));
        if (contacts != null || terms != null) {
            LOG.warn("The contacts and accepted Terms of Service of the ACME account {} in the database are not sealed"
                    + " (saved by a node older than 0.2.0, or written without the store key): they are ignored", name);
        }
        return new String[] {null, null};
    }

    /** The sealed fields of an account row; the registration's two only where either is set, as rows before 0.2.0 have neither. */
    private static Object[] accountFields(String location, String algorithm, byte[] publicKey, byte[] privateKey,
                                          String contacts, String terms) {
        return contacts == null && terms == null ? new Object[] {location, algorithm, publicKey, privateKey}
                : new Object[] {location, algorithm, publicKey, privateKey, contacts, terms};
    }

    private KeyPair accountKeys(String algorithm, byte[] publicKey, byte[] sealedPrivateKey, String row) {
        try {
            PublicKey pub = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(publicKey));
            PrivateKey priv = CertificateCodec.privateKey(algorithm, sealedPrivateKey, row, key);
            return new KeyPair(pub, priv);
        } catch (GeneralSecurityException e) {
            throw new CertificateStoreException("The ACME account key in the database cannot be decrypted with this"
                    + " node's store key, or is damaged: " + e.getMessage(), e);
        }
    }

    @Override
    public void saveAccount(AcmeAccount account) {
        String name = account.caDirectory().toString();
        String location = account.location() == null ? null : account.location().toString();
        String algorithm = account.keyPair().getPrivate().getAlgorithm();
        byte[] publicKey = account.keyPair().getPublic().getEncoded();
        byte[] privateKey = key.seal(account.keyPair().getPrivate().getEncoded(), "account:" + account.caDirectory());
        String contacts = account.contacts().isEmpty() ? null : String.join(",", account.contacts());
        String terms = account.acceptedTermsOfService().map(URI::toString).orElse(null);
        long generation = database.transaction("saving the ACME account", connection -> {
            long next = rows.nextGeneration(connection, database.dialect());
            try (PreparedStatement upsert = connection.prepareStatement(database.dialect().upsert("autocert4j_accounts",
                    "ca_directory", "ca_directory, location, key_algorithm, public_key, private_key, saved_at, generation,"
                            + " seal, contacts, accepted_terms_of_service", "?, ?, ?, ?, ?, ?, ?, ?, ?, ?"))) {
                upsert.setString(1, name);
                upsert.setString(2, location);
                upsert.setString(3, algorithm);
                upsert.setBytes(4, publicKey);
                upsert.setBytes(5, privateKey);
                upsert.setString(6, clock.instant().toString());
                upsert.setLong(7, next);
                upsert.setBytes(8, rows.sealForWrite(RowSeal.Kind.ACCOUNT, name, next,
                        accountFields(location, algorithm, publicKey, privateKey, contacts, terms)));
                upsert.setString(9, contacts);
                upsert.setString(10, terms);
                upsert.executeUpdate();
            }
            return next;
        });
        rows.wrote(RowSeal.Kind.ACCOUNT, name, generation);
    }

    // ---- certificates ----

    /**
     * Loads a certificate if its row is one a node holding the store key wrote for this name, not
     * older than one this node has seen, with a certificate naming it and the key of that certificate.
     *
     * @throws CertificateStoreException if the database fails, or (a {@code RefusedRowException}) the row
     *                                   was forged, swapped from another name, replayed or cut short
     */
    @Override
    public Optional<IssuedCertificate> loadCertificate(String domain) {
        Objects.requireNonNull(domain, "domain");
        uploadPending(domain);
        try {
            Optional<IssuedCertificate> certificate = readVerified("reading the certificate of " + domain, domain)
                    .map(rows::issued);
            databaseBack();
            certificate.ifPresent(found -> {
                if (localCopy != null) {
                    localCopy.keep(found);
                }
            });
            return certificate;
        } catch (DatabaseException e) {
            return fromLocalCopy(domain, e);
        } finally {
            rows.persistSeen();
        }
    }

    private Optional<SealedRows.VerifiedCertificate> readVerified(String doing, String domain) {
        return database.call(doing, connection -> readRow(connection, domain)).map(row -> rows.verified(domain, row));
    }

    private static Optional<SealedRows.CertificateRow> readRow(Connection connection, String domain) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + SealedRows.CERTIFICATE_COLUMNS
                + " FROM autocert4j_certificates WHERE domain = ?")) {
            query.setString(1, domain);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(SealedRows.certificateRow(row)) : Optional.empty();
            }
        }
    }

    /** The metadata read from the sealed certificate itself, never from the informational columns. */
    @Override
    public Optional<CertificateMetadata> loadMetadata(String domain) {
        Objects.requireNonNull(domain, "domain");
        uploadPending(domain);
        try {
            Optional<CertificateMetadata> metadata = readVerified("reading the metadata of " + domain, domain)
                    .map(SealedRows.VerifiedCertificate::metadata);
            databaseBack();
            return metadata;
        } catch (DatabaseException e) {
            return fromLocalCopy(domain, e).map(IssuedCertificate::metadata);
        } finally {
            rows.persistSeen();
        }
    }

    /**
     * One query for all of them; a refused row is left out (logged once), as if missing, and the
     * others are returned. With the database down, this node's local copy answers, if it keeps one.
     */
    @Override
    public Map<String, CertificateMetadata> loadAllMetadata(Collection<String> domains) {
        if (localCopy != null) {
            localCopy.pendingDomains().forEach(this::uploadPending);
        }
        try {
            List<SealedRows.CertificateRow> found = database.call("reading the metadata of " + domains.size()
                    + " certificates", connection -> readRows(connection, List.copyOf(domains)));
            databaseBack();
            Map<String, CertificateMetadata> verified = new LinkedHashMap<>();
            for (SealedRows.CertificateRow row : found) {
                try {
                    verified.put(row.domain(), rows.verified(row.domain(), row).metadata());
                } catch (RefusedRowException e) {
                    // logged once; treated as missing, the other names go on
                }
            }
            rows.persistSeen();
            return verified;
        } catch (DatabaseException e) {
            if (localCopy == null) {
                throw e;
            }
            databaseDown(e);
            Map<String, CertificateMetadata> copies = new LinkedHashMap<>();
            for (String domain : domains) {
                localCopy.newest(domain).ifPresent(copy -> copies.put(domain, copy.metadata()));
            }
            return copies;
        }
    }

    /** The rows of these names, a few hundred names per query (no array parameter: MariaDB has none). */
    private static List<SealedRows.CertificateRow> readRows(Connection connection, List<String> domains)
            throws SQLException {
        List<SealedRows.CertificateRow> all = new ArrayList<>();
        for (int from = 0; from < domains.size(); from += NAMES_PER_QUERY) {
            List<String> some = domains.subList(from, Math.min(domains.size(), from + NAMES_PER_QUERY));
            try (PreparedStatement query = connection.prepareStatement("SELECT " + SealedRows.CERTIFICATE_COLUMNS
                    + " FROM autocert4j_certificates WHERE domain IN (" + String.join(", ", Collections.nCopies(some.size(),
                    "?")) + ")")) {
                for (int i = 0; i < some.size(); i++) {
                    query.setString(i + 1, some.get(i));
                }
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        all.add(SealedRows.certificateRow(row));
                    }
                }
            }
        }
        return all;
    }

    @Override
    public void saveCertificate(IssuedCertificate certificate) {
        String domain = certificate.metadata().domain();
        if (localCopy != null) {
            localCopy.keepPending(certificate); // first: if the database cannot take it, it is not lost
        }
        try {
            writeCertificate(certificate);
        } catch (CertificateStoreException e) {
            if (localCopy == null) {
                throw e;
            }
            throw new CertificateStoreException(e.getMessage() + "; the certificate is kept in this node's local copy"
                    + " and written to the database as soon as it answers", e);
        }
        if (localCopy != null) {
            localCopy.keep(certificate);
            localCopy.forgetPending(domain);
        }
    }

    private void writeCertificate(IssuedCertificate certificate) {
        CertificateMetadata metadata = certificate.metadata();
        String domain = metadata.domain();
        long generation = database.transaction("saving the certificate of " + domain, connection -> {
            SealedRows.CertificateRow row = rows.certificateRow(certificate, rows.nextGeneration(connection, database.dialect()));
            try (PreparedStatement upsert = connection.prepareStatement(database.dialect().upsert(
                    "autocert4j_certificates", "domain", "domain, names, serial_number, issuer, issued_at, not_before,"
                            + " not_after, ca_directory, account_location, chain_pem, key_algorithm, private_key,"
                            + " change_seq, saved_by, saved_at, seal",
                    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"))) {
                upsert.setString(1, domain);
                upsert.setString(2, String.join(",", metadata.names()));
                upsert.setString(3, metadata.serialNumber());
                upsert.setString(4, metadata.issuer());
                upsert.setString(5, row.issuedAt());
                upsert.setString(6, metadata.notBefore().toString());
                upsert.setString(7, metadata.notAfter().toString());
                upsert.setString(8, row.caDirectory());
                upsert.setString(9, row.accountLocation());
                upsert.setString(10, row.chainPem());
                upsert.setString(11, row.keyAlgorithm());
                upsert.setBytes(12, row.sealedKey());
                upsert.setLong(13, row.generation());
                upsert.setString(14, nodeName);
                upsert.setString(15, clock.instant().toString());
                upsert.setBytes(16, row.seal());
                upsert.executeUpdate();
            }
            return row.generation();
        });
        rows.wrote(RowSeal.Kind.CERTIFICATE, domain, generation);
    }

    @Override
    public List<String> domains() {
        return database.call("listing the certificates", connection -> {
            List<String> domains = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT domain FROM autocert4j_certificates ORDER BY domain");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    domains.add(rows.getString(1));
                }
            }
            return domains;
        });
    }

    @Override
    public void deleteCertificate(String domain) {
        database.update("deleting the certificate of " + domain, "DELETE FROM autocert4j_certificates WHERE domain = ?",
                domain);
        if (localCopy != null) {
            localCopy.forget(domain);
        }
    }

    // ---- enrollments ----

    @Override
    public boolean keepsEnrollments() {
        return true;
    }

    @Override
    public void saveEnrollment(String name, Map<String, String> choices) {
        String text = propertiesText(choices);
        long generation = database.transaction("saving the enrollment of " + name, connection -> {
            long next = rows.nextGeneration(connection, database.dialect());
            try (PreparedStatement upsert = connection.prepareStatement(database.dialect().upsert(
                    "autocert4j_enrollments", "name", "name, choices, saved_at, generation, seal", "?, ?, ?, ?, ?"))) {
                upsert.setString(1, name);
                upsert.setString(2, text);
                upsert.setString(3, clock.instant().toString());
                upsert.setLong(4, next);
                upsert.setBytes(5, rows.sealForWrite(RowSeal.Kind.ENROLLMENT, name, next, text));
                upsert.executeUpdate();
            }
            return next;
        });
        rows.wrote(RowSeal.Kind.ENROLLMENT, name, generation);
    }

    /** Every enrollment whose row is sealed and not older than one seen; a refused row is left out (logged once). */
    @Override
    public Map<String, Map<String, String>> loadEnrollments() {
        try {
            Map<String, Map<String, String>> enrollments = database.call("reading the enrollments", connection -> {
                Map<String, Map<String, String>> all = new LinkedHashMap<>();
                try (PreparedStatement query = connection.prepareStatement(
                        "SELECT name, choices, generation, seal FROM autocert4j_enrollments ORDER BY name");
                     ResultSet rowsFound = query.executeQuery()) {
                    while (rowsFound.next()) {
                        String name = rowsFound.getString(1);
                        String text = rowsFound.getString(2);
                        try {
                            rows.requireSealedAndNew(RowSeal.Kind.ENROLLMENT, name, rowsFound.getLong(3),
                                    rowsFound.getBytes(4), text);
                            all.put(name, choices(text));
                        } catch (RefusedRowException e) {
                            // logged once; treated as missing, the other enrollments go on
                        }
                    }
                }
                return all;
            });
            rows.persistSeen();
            databaseBack();
            if (localCopy != null) {
                localCopy.keepEnrollments(enrollments);
            }
            return enrollments;
        } catch (DatabaseException e) {
            if (localCopy != null) {
                Optional<Map<String, Map<String, String>>> copy = localCopy.enrollments();
                if (copy.isPresent()) {
                    databaseDown(e);
                    return copy.get();
                }
            }
            throw e;
        }
    }

    @Override
    public void deleteEnrollment(String name) {
        database.update("deleting the enrollment of " + name, "DELETE FROM autocert4j_enrollments WHERE name = ?", name);
    }

    private static String propertiesText(Map<String, String> choices) {
        Properties properties = new Properties();
        properties.putAll(new TreeMap<>(choices));
        StringWriter text = new StringWriter();
        try {
            properties.store(text, null);
        } catch (IOException e) {
            throw new IllegalStateException("a StringWriter does not fail", e);
        }
        return text.toString().lines().filter(line -> !line.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }

    private static Map<String, String> choices(String text) throws SQLException {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new SQLException("an enrollment's choices cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> choices = new LinkedHashMap<>();
        new TreeMap<>(properties).forEach((k, v) -> choices.put((String) k, (String) v));
        return choices;
    }

    // ---- the change feed, the local copy ----

    /**
     * Polls the database for certificates other nodes saved, every poll interval, and tells
     * {@code changed} their domains; also writes certificates the database could not take before.
     * The first poll reports what other nodes saved since this node last looked, or everything
     * they saved if it never looked.
     */
    @Override
    public AutoCloseable watch(Consumer<String> changed) {
        Objects.requireNonNull(changed, "changed");
        ChangeFeed feed = new ChangeFeed(changed);
        var polling = background.scheduleWithFixedDelay(feed::poll, 0, pollInterval.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> polling.cancel(false);
    }

    /** One watcher's position in the change feed. */
    private final class ChangeFeed {
        private final Consumer<String> changed;
        private long seen = -1;

        ChangeFeed(Consumer<String> changed) {
            this.changed = changed;
        }

        void poll() {
            try {
                if (localCopy != null) {
                    localCopy.pendingDomains().forEach(JdbcCertificateStore.this::uploadPending);
                }
                List<String> domains = new ArrayList<>();
                long newest = database.call("reading the change feed", connection -> {
                    long max = seen;
                    try (PreparedStatement query = connection.prepareStatement("SELECT domain, change_seq, saved_by"
                            + " FROM autocert4j_certificates WHERE change_seq > ? ORDER BY change_seq")) {
                        query.setLong(1, seen);
                        try (ResultSet rows = query.executeQuery()) {
                            while (rows.next()) {
                                max = Math.max(max, rows.getLong(2));
                                if (!nodeName.equals(rows.getString(3))) {
                                    domains.add(rows.getString(1));
                                }
                            }
                        }
                    }
                    return max;
                });
                databaseBack();
                seen = newest;
                domains.forEach(changed);
            } catch (CertificateStoreException e) {
                databaseDown(e);
            } catch (RuntimeException e) {
                LOG.warn("The change feed failed; it tries again in {}", pollInterval, e);
            }
        }
    }

    /** Writes a certificate saved while the database was down, unless the database has a newer one by now. */
    private void uploadPending(String domain) {
        if (localCopy == null) {
            return;
        }
        Optional<IssuedCertificate> pending = localCopy.pending(domain);
        if (pending.isEmpty()) {
            return;
        }
        try {
            Optional<Instant> inDatabase = storedIssuedAt(domain);
            if (inDatabase.isEmpty() || inDatabase.get().isBefore(pending.get().metadata().issuedAt())) {
                writeCertificate(pending.get());
                LOG.info("Wrote the certificate of {} (serial {}) obtained while the database was down", domain,
                        pending.get().metadata().serialNumber());
            }
            localCopy.keep(pending.get());
            localCopy.forgetPending(domain);
        } catch (CertificateStoreException e) {
            databaseDown(e);
        }
    }

    /** When the stored certificate was obtained, if its row is trusted; a refused row counts as none. */
    private Optional<Instant> storedIssuedAt(String domain) {
        try {
            return readVerified("reading the certificate of " + domain, domain).map(found -> found.metadata().issuedAt());
        } catch (RefusedRowException e) {
            return Optional.empty();
        }
    }

    private Optional<IssuedCertificate> fromLocalCopy(String domain, CertificateStoreException failure) {
        if (localCopy == null) {
            throw failure;
        }
        databaseDown(failure);
        return localCopy.newest(domain);
    }

    private void databaseDown(CertificateStoreException failure) {
        if (!databaseDownReported) {
            databaseDownReported = true;
            LOG.warn("The database is unreachable; {}: {}", localCopy == null ? "retrying"
                    : "serving this node's local copy and retrying", failure.getMessage());
        }
    }

    private void databaseBack() {
        if (databaseDownReported) {
            databaseDownReported = false;
            LOG.info("The database answers again");
        }
    }

    // ---- the upgrade from schema version 1 ----

    /**
     * Seals the rows of a schema-1 database once, on the connection of the upgrade: each certificate
     * whose chain reads and whose key opens with the store key and matches it, each enrollment and
     * each account whose key opens. A row that fails stays unsealed, so it is refused until saved
     * again. Challenge tokens are short-lived: the unsealed ones are deleted.
     */
    private String sealRowsOfVersion1(Connection connection) throws SQLException {
        List<String> unsealed = new ArrayList<>();
        int certificates = sealCertificatesOfVersion1(connection, unsealed);
        int enrollments = sealEnrollmentsOfVersion1(connection);
        int accounts = sealAccountsOfVersion1(connection, unsealed);
        try (PreparedStatement tokens = connection.prepareStatement("DELETE FROM autocert4j_challenges WHERE seal IS NULL")) {
            tokens.executeUpdate();
        }
        return certificates + " certificates, " + enrollments + " enrollments and " + accounts + " accounts"
                + (unsealed.isEmpty() ? "" : "; left unsealed, so refused until saved again: " + unsealed);
    }

    private int sealCertificatesOfVersion1(Connection connection, List<String> unsealed) throws SQLException {
        List<SealedRows.CertificateRow> found = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT " + SealedRows.CERTIFICATE_COLUMNS
                + " FROM autocert4j_certificates WHERE seal IS NULL ORDER BY domain");
             ResultSet row = query.executeQuery()) {
            while (row.next()) {
                found.add(SealedRows.certificateRow(row));
            }
        }
        int sealed = 0;
        for (SealedRows.CertificateRow row : found) {
            try {
                List<java.security.cert.X509Certificate> chain = CertificateCodec.chain(row.chainPem());
                PrivateKey privateKey = CertificateCodec.privateKey(row.keyAlgorithm(), row.sealedKey(),
                        CertificateCodec.keyRow(row.domain()), key);
                if (!CertificateCodec.keyMatches(privateKey, chain.get(0))) {
                    throw new GeneralSecurityException("the key is not the certificate's key");
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                unsealed.add("certificate " + row.domain() + " (its key does not open with this store key or is not its"
                        + " certificate's: " + e.getMessage() + ")");
                continue;
            }
            SealedRows.CertificateRow resealed = rows.withSeal(new SealedRows.CertificateRow(row.domain(), row.issuedAt(),
                    row.caDirectory(), row.accountLocation(), row.chainPem(), row.keyAlgorithm(), row.sealedKey(),
                    rows.nextGeneration(connection, database.dialect()), null));
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE autocert4j_certificates SET change_seq = ?, seal = ? WHERE domain = ?")) {
                update.setLong(1, resealed.generation());
                update.setBytes(2, resealed.seal());
                update.setString(3, row.domain());
                sealed += update.executeUpdate();
            }
        }
        return sealed;
    }

    private int sealEnrollmentsOfVersion1(Connection connection) throws SQLException {
        Map<String, String> found = new TreeMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT name, choices FROM autocert4j_enrollments WHERE seal IS NULL");
             ResultSet row = query.executeQuery()) {
            while (row.next()) {
                found.put(row.getString(1), row.getString(2));
            }
        }
        int sealed = 0;
        for (Map.Entry<String, String> enrollment : found.entrySet()) {
            long generation = rows.nextGeneration(connection, database.dialect());
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE autocert4j_enrollments SET generation = ?, seal = ? WHERE name = ?")) {
                update.setLong(1, generation);
                update.setBytes(2, rows.sealForWrite(RowSeal.Kind.ENROLLMENT, enrollment.getKey(), generation,
                        enrollment.getValue()));
                update.setString(3, enrollment.getKey());
                sealed += update.executeUpdate();
            }
        }
        return sealed;
    }

    private int sealAccountsOfVersion1(Connection connection, List<String> unsealed) throws SQLException {
        List<Object[]> found = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT ca_directory, location, key_algorithm,"
                + " public_key, private_key FROM autocert4j_accounts WHERE seal IS NULL");
             ResultSet row = query.executeQuery()) {
            while (row.next()) {
                found.add(new Object[] {row.getString(1), row.getString(2), row.getString(3), row.getBytes(4),
                        row.getBytes(5)});
            }
        }
        int sealed = 0;
        for (Object[] account : found) {
            String name = (String) account[0];
            try {
                accountKeys((String) account[2], (byte[]) account[3], (byte[]) account[4], "account:" + name);
            } catch (CertificateStoreException e) {
                unsealed.add("account " + name + " (" + e.getMessage() + ")");
                continue;
            }
            long generation = rows.nextGeneration(connection, database.dialect());
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE autocert4j_accounts SET generation = ?, seal = ? WHERE ca_directory = ?")) {
                update.setLong(1, generation);
                update.setBytes(2, rows.sealForWrite(RowSeal.Kind.ACCOUNT, name, generation, account[1], account[2],
                        account[3], account[4]));
                update.setString(3, name);
                sealed += update.executeUpdate();
            }
        }
        return sealed;
    }

    /**
     * Waits until the background work running or queued now (a poll of the change feed, which also
     * writes pending certificates) is done: its thread runs one task at a time.
     */
    void awaitBackgroundWork(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        background.submit(() -> { }).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Stops the change feed and the lease extensions. Leases held are given back by their renewals. */
    @Override
    public void close() {
        background.shutdownNow();
    }

    @Override
    public String toString() {
        return "JdbcCertificateStore[node=" + nodeName + ", key=" + key.fingerprint() + "]";
    }

    /** Builds a {@link JdbcCertificateStore}. */
    public static final class Builder {
        private final DataSource dataSource;
        private StoreKey key;
        private String nodeName = defaultNodeName();
        private Duration leaseLength = Duration.ofMinutes(2);
        private Duration pollInterval = Duration.ofSeconds(2);
        private Path localCopy;
        private Clock clock = Clock.systemUTC();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * Sets the key that encrypts private keys; required, and the same on every node.
         *
         * @param key the key
         * @return this builder
         */
        public Builder key(StoreKey key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Names this node in the renewal lock and the status; default the host name and process id.
         *
         * @param name the node's name
         * @return this builder
         */
        public Builder nodeName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || name.length() > 200) {
                throw new InvalidInputException("nodeName", name, "must be 1 to 200 characters");
            }
            this.nodeName = name.strip();
            return this;
        }

        /**
         * Sets how long a renewal lease runs unless its holder extends it: how long a crashed
         * node can keep the others from renewing. Default 2 minutes.
         *
         * @param length the lease length, at least 3 seconds
         * @return this builder
         */
        public Builder leaseLength(Duration length) {
            if (length == null || length.compareTo(Duration.ofSeconds(3)) < 0) {
                throw new InvalidInputException("leaseLength", String.valueOf(length), "must be at least 3 seconds");
            }
            this.leaseLength = length;
            return this;
        }

        /**
         * Sets how often the change feed asks the database for certificates other nodes saved;
         * default 2 seconds.
         *
         * @param interval the interval, at least 100 ms
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            if (interval == null || interval.compareTo(Duration.ofMillis(100)) < 0) {
                throw new InvalidInputException("pollInterval", String.valueOf(interval), "must be at least 100 ms");
            }
            this.pollInterval = interval;
            return this;
        }

        /**
         * Keeps an encrypted copy of what this node reads and writes in a folder of its own (one
         * per node, never shared), so the node starts and serves while the database is down.
         *
         * @param folder the folder; created 0700 when first needed
         * @return this builder
         */
        public Builder localCopy(Path folder) {
            this.localCopy = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /**
         * Sets the clock of save times and of the lease holder's times in the status. Leases and
         * challenge tokens expire on the database's clock, never this one.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the store; nothing is read until it is used, so the database may be down now
         * @throws InvalidInputException if no key was given
         */
        public JdbcCertificateStore build() {
            if (key == null) {
                throw new InvalidInputException("key", null, "is missing: the store encrypts private keys with a"
                        + " StoreKey (StoreKey.readFrom(file))");
            }
            return new JdbcCertificateStore(this);
        }

        private static String defaultNodeName() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "node";
            }
            return host + "-" + ProcessHandle.current().pid();
        }
    }
}
