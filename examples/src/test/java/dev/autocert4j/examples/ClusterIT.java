package dev.autocert4j.examples;

import dev.autocert4j.testkit.Ports;
import dev.autocert4j.jdbc.StoreKey;
import dev.autocert4j.testkit.LoadBalancer;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.PostgresExtension;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three portal nodes (the demo, each a JVM of its own on its own loopback address) share one real
 * PostgreSQL behind HAProxy, which sends Pebble's validation requests round-robin to any of them.
 * Pebble issues 8-second certificates, so every node finds the certificate due every few seconds:
 * the renewal lock, the shared challenge tokens and the change feed are all that keeps the
 * cluster to one order per renewal with every node serving the result. Pebble's log counts the
 * certificates it issued.
 */
class ClusterIT {

    private static final int BALANCER_PORT = Ports.free();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();
    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().httpChallengePort(BALANCER_PORT)
            .certificateValidity(Duration.ofSeconds(8));

    private static final String DOMAIN = "cluster.autocert4j.test";
    private static final List<String> ADDRESSES = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    @TempDir
    Path folder;

    private DataSource database;
    private String databaseUrl;
    private Path keyFile;
    private Path passwordFile;
    private int nodePort;
    private int httpsPort;
    private LoadBalancer balancer;
    private final Map<String, DemoProcess> nodes = new LinkedHashMap<>();
    private int issuedBefore;
    private final List<String> history = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Instant> storedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private Thread watcher;
    private volatile boolean watching = true;

    @BeforeEach
    void prepare() throws IOException {
        databaseUrl = POSTGRES.freshDatabase();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(databaseUrl);
        database = dataSource;
        keyFile = folder.resolve("store.key");
        StoreKey.createFile(keyFile);
        // the database password goes in a private file, never in the URL on the command line (the test
        // server trusts loopback connections, so any password is accepted)
        passwordFile = java.nio.file.Files.writeString(java.nio.file.Files.createFile(folder.resolve("db.password"),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))), "cluster-test-password\n");
        nodePort = Ports.free();
        httpsPort = Ports.free();
        issuedBefore = PEBBLE.server().issuedCount();
        watcher = new Thread(this::recordEveryStoredSerial, "cluster-test-history");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Every certificate the cluster stores, in order, with when it appeared: renewals are seconds apart. */
    private void recordEveryStoredSerial() {
        while (watching) {
            try {
                storedSerial().filter(serial -> !history.contains(serial)).ifPresent(serial -> {
                    storedAt.put(serial, Instant.now());
                    history.add(serial);
                });
            } catch (SQLException e) {
                // the database is being restarted by the test
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** Once the nodes are stopped: every certificate Pebble issued during the test is one the cluster stored. */
    private void assertEveryIssuedCertificateWasStoredOnce() throws Exception {
        stopNodes();
        watching = false;
        watcher.join(5_000);
        storedSerial().filter(serial -> !history.contains(serial)).ifPresent(history::add);
        assertThat(PEBBLE.server().issuedCount() - issuedBefore).as("certificates issued during the test: one per"
                + " renewal, each stored (history " + history + ")").isEqualTo(history.size());
    }

    @AfterEach
    void stopCluster() throws InterruptedException {
        watching = false;
        watcher.join(5_000);
        for (DemoProcess node : nodes.values()) {
            node.close();
        }
        if (balancer != null) {
            balancer.close();
        }
        POSTGRES.server().startAgain();
    }

    private void startCluster(Duration validationDelay, String... extraArguments) throws Exception {
        List<InetSocketAddress> backends = ADDRESSES.stream().map(address -> new InetSocketAddress(address, nodePort)).toList();
        balancer = LoadBalancer.start(BALANCER_PORT, backends, validationDelay);
        for (int i = 0; i < ADDRESSES.size(); i++) {
            String name = "node-" + (i + 1);
            List<String> args = new ArrayList<>(nodeArguments(i));
            args.addAll(List.of(extraArguments));
            nodes.put(name, DemoProcess.start(folder.resolve(name + ".log"), args));
        }
        for (int i = 0; i < ADDRESSES.size(); i++) {
            nodes.get("node-" + (i + 1)).awaitPort(new InetSocketAddress(ADDRESSES.get(i), nodePort));
        }
    }

    private List<String> nodeArguments(int index) {
        return List.of("--acme", PEBBLE.directoryUri().toString(), "--acme-trust", PEBBLE.trustFile().toString(),
                "--acme-name", "Pebble", "--listen", "http://" + DOMAIN + ":" + nodePort,
                "--binding", "http://" + DOMAIN + ":" + nodePort, "--https-port", String.valueOf(httpsPort),
                "--email", "admin@autocert4j.test", "--accept-tos", "--bind-address", ADDRESSES.get(index),
                "--admin-port", "0", "--state", folder.resolve("state-" + (index + 1)).toString(),
                "--store", databaseUrl, "--store-key-file", keyFile.toString(), "--node-name", "node-" + (index + 1),
                "--store-password-file", passwordFile.toString(),
                "--lease-length", "10s");
    }

    @Test
    void twentyRenewalsOneOrderEachAndEveryNodeServesEachWithinTenSeconds() throws Exception {
        startCluster(Duration.ZERO);
        Map<String, Integer> creditedUpTo = new HashMap<>();
        List<Duration> latencies = new ArrayList<>();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));

        while (history.size() < 21) {
            assertThat(Instant.now()).as(() -> "21 certificates within 4 minutes; got " + history.size() + logs())
                    .isBefore(deadline);
            List<String> serials = new ArrayList<>(history);
            for (int i = 0; i < ADDRESSES.size(); i++) {
                int served = serials.indexOf(servedSerial(i));
                for (int s = creditedUpTo.getOrDefault(ADDRESSES.get(i), -1) + 1; s <= served; s++) {
                    latencies.add(Duration.between(storedAt.get(serials.get(s)), Instant.now()));
                    creditedUpTo.put(ADDRESSES.get(i), s);
                }
            }
            for (int s = 0; s < serials.size(); s++) {
                if (storedAt.get(serials.get(s)).plus(PROPAGATION).isBefore(Instant.now())) {
                    int index = s;
                    assertThat(ADDRESSES).as(() -> "every node serves serial " + serials.get(index) + " or a later one"
                            + " within " + PROPAGATION + logs())
                            .allSatisfy(address -> assertThat(creditedUpTo.getOrDefault(address, -1)).isGreaterThanOrEqualTo(index));
                }
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }

        assertEveryIssuedCertificateWasStoredOnce();
        assertThat(balancer.requestsPerServer().values()).as("validations reached every node").allMatch(count -> count > 0);
        assertThat(logs()).doesNotContain("challenge failed");
        latencies.sort(null);
        System.out.println("Propagation to the three nodes over " + history.size() + " certificates: p50 "
                + latencies.get(latencies.size() / 2).toMillis() + " ms, p99 "
                + latencies.get(latencies.size() * 99 / 100).toMillis() + " ms, max "
                + latencies.get(latencies.size() - 1).toMillis() + " ms");
    }

    @Test
    void aLockHolderKilledMidRenewalIsTakenOverAfterItsLeaseWithoutASecondCertificate() throws Exception {
        startCluster(Duration.ofSeconds(2)); // each validation takes 2 s: time to kill the holder before it finalizes
        String first = awaitNewSerial(null, Duration.ofSeconds(60));
        awaitServedByAll(first, List.of(0, 1, 2));

        String holder = awaitLeaseHolder(Duration.ofSeconds(30));
        nodes.get(holder).kill();
        Instant killed = Instant.now();
        // certificates last 8 s, so the cluster may have renewed since `first` (even by the node now
        // killed, before it took this lease): the renewal in flight is the one after what is stored now
        String storedAtKill = storedSerial().orElseThrow();

        String next = awaitNewSerial(storedAtKill, Duration.ofSeconds(90));
        assertThat(savedBy()).isNotEqualTo(holder);
        assertThat(Duration.between(killed, Instant.now())).as("not before the dead node's lease (10 s) ran out")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(8));
        List<Integer> alive = new ArrayList<>(List.of(0, 1, 2));
        alive.remove(Integer.valueOf(Integer.parseInt(holder.substring("node-".length())) - 1));
        awaitServedByAll(next, alive);
        assertEveryIssuedCertificateWasStoredOnce();
    }

    @Test
    void theDatabaseStoppedAndRestartedMidRenewalLosesNothingAndOrdersOnce() throws Exception {
        startCluster(Duration.ofSeconds(2));
        String first = awaitNewSerial(null, Duration.ofSeconds(60));
        awaitServedByAll(first, List.of(0, 1, 2));

        String holder = awaitLeaseHolder(Duration.ofSeconds(30));
        POSTGRES.server().stop();
        nodes.get(holder).awaitLog("attempt 1 failed", Duration.ofSeconds(30)); // it cannot finish without the database
        POSTGRES.server().startAgain();

        String next = awaitNewSerial(first, Duration.ofSeconds(150));
        awaitServedByAll(next, List.of(0, 1, 2));
        assertEveryIssuedCertificateWasStoredOnce();
    }

    @Test
    void severalOnceProcessesStartedTogetherPrintTheSameSerialFromOneCertificate() throws Exception {
        balancer = LoadBalancer.start(BALANCER_PORT, ADDRESSES.stream()
                .map(address -> new InetSocketAddress(address, nodePort)).toList(), Duration.ZERO);
        List<DemoProcess> once = new ArrayList<>();
        for (int i = 0; i < ADDRESSES.size(); i++) {
            List<String> args = new ArrayList<>(nodeArguments(i));
            args.add("--once");
            once.add(DemoProcess.start(folder.resolve("once-" + (i + 1) + ".log"), args));
        }
        List<String> printed = new ArrayList<>();
        for (DemoProcess process : once) {
            assertThat(process.awaitExit(Duration.ofSeconds(90))).as(process::log).isZero();
            printed.add(serialIn(process.log()));
        }

        assertThat(printed).as("every process prints the serial one of them obtained").containsOnly(storedSerial().orElseThrow());
        assertThat(PEBBLE.server().issuedCount() - issuedBefore).isEqualTo(1);

        DemoProcess status = DemoProcess.start(folder.resolve("status.log"), List.of("--status", "--store", databaseUrl,
                "--store-key-file", keyFile.toString(), "--store-password-file", passwordFile.toString(), "--state", folder.resolve("state-status").toString(),
                "--binding", "http://" + DOMAIN + ":" + nodePort));
        assertThat(status.awaitExit(Duration.ofSeconds(60))).as(status::log).isZero();
        assertThat(serialIn(status.log())).as("--status reads the database").isEqualTo(printed.get(0));
    }

    // ---- helpers ----

    private void stopNodes() throws InterruptedException {
        for (DemoProcess node : nodes.values()) {
            node.close();
        }
    }

    private String awaitNewSerial(String previous, Duration patience) throws Exception {
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            Optional<String> stored = storedSerial();
            if (stored.isPresent() && !stored.get().equals(previous)) {
                return stored.get();
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new AssertionError("no new certificate within " + patience + logs());
    }

    private void awaitServedByAll(String serial, List<Integer> nodeIndexes) {
        Instant deadline = Instant.now().plus(PROPAGATION);
        for (int i : nodeIndexes) {
            while (!serial.equals(servedSerial(i)) && !laterThan(servedSerial(i), serial)) {
                assertThat(Instant.now()).as(() -> ADDRESSES.get(i) + " serves " + serial + " within " + PROPAGATION
                        + logs()).isBefore(deadline);
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
    }

    /** Whether a node already serves a newer certificate (the cluster renews every few seconds). */
    private boolean laterThan(String served, String serial) {
        try {
            return served != null && !served.equals(serial) && storedSerial().map(served::equals).orElse(false);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Waits for a node to take a renewal lease, and names it while its renewal has just begun: the
     * lease was taken less than a second ago on the database's clock, and each validation takes
     * two, so the holder has not stored a certificate when the answer comes back.
     */
    private String awaitLeaseHolder(Duration patience) throws Exception {
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            Optional<String> owner = query("SELECT owner FROM autocert4j_leases WHERE expires_at > "
                    + "(extract(epoch from now()) * 1000)::bigint"
                    + " AND acquired_at > (extract(epoch from now()) * 1000)::bigint - 1000");
            if (owner.isPresent()) {
                return owner.get();
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        throw new AssertionError("no node took a renewal lease within " + patience + logs());
    }

    private Optional<String> storedSerial() throws SQLException {
        return query("SELECT serial_number FROM autocert4j_certificates WHERE domain = '" + DOMAIN + "'");
    }

    private String savedBy() throws SQLException {
        return query("SELECT saved_by FROM autocert4j_certificates WHERE domain = '" + DOMAIN + "'").orElseThrow();
    }

    private Optional<String> query(String sql) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().equals("42P01")) {
                return Optional.empty(); // the nodes have not made the tables yet
            }
            throw e;
        }
    }

    private String servedSerial(int node) {
        try {
            return TlsClient.create().servedSerial(new InetSocketAddress(ADDRESSES.get(node), httpsPort), DOMAIN);
        } catch (IOException e) {
            return null; // HTTPS not open yet, or the node is down
        }
    }

    /** The serial in the status line a one-shot command printed; its log holds the library's lines too. */
    private static String serialIn(String log) {
        List<String> statusLines = log.lines().filter(line -> line.startsWith("{\"domain\":")).toList();
        assertThat(statusLines).as(log).singleElement();
        String serial = JsonFields.of(statusLines.get(0)).get("serial");
        assertThat(serial).as(log).matches("[0-9a-f]+");
        return serial;
    }

    private String logs() {
        Supplier<String> nodeLogs = () -> nodes.entrySet().stream()
                .map(entry -> "\n--- " + entry.getKey() + " ---\n" + tail(entry.getValue().log()))
                .collect(Collectors.joining());
        return nodeLogs.get() + "\n--- pebble ---\n" + PEBBLE.server().logs();
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 25), lines.length));
    }

}
