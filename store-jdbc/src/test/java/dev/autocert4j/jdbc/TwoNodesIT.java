package dev.autocert4j.jdbc;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.http.Http01Listener;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes in one JVM share a real database and get certificates from a real Pebble, whose
 * validation requests reach only node B's HTTP listener (as a load balancer might send them):
 * node A's orders validate through the shared tokens, and node B installs what node A renews
 * without calling the CA. A subclass per database says which ({@link PostgresTwoNodesIT},
 * {@link MariaDbTwoNodesIT}), and one runs the same on core's sealed store over {@link JdbcStorage}
 * ({@link PostgresStorageTwoNodesIT}).
 */
abstract class TwoNodesIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static final StoreKey KEY = StoreKey.of(new byte[32]);
    static final String DOMAIN = "cluster.autocert4j.test";
    private static final Binding HTTPS = new Binding("https", DOMAIN, 8443);

    private NodeStore storeA;
    private NodeStore storeB;
    private Http01Listener onlyNodeBListens;
    private RecordingBindingProvider hostA;
    private RecordingBindingProvider hostB;
    private AutoCert nodeA;
    private AutoCert nodeB;
    private final BlockingQueue<IssuedCertificate> installedOnB = new LinkedBlockingQueue<>();
    String database;

    @TempDir
    Path localCopies;

    /** @return the JDBC URL of a new, empty database */
    protected abstract String freshDatabase();

    /** A node's store, and what closes it (its connections, its background thread). */
    protected record NodeStore(CertificateStore store, AutoCloseable closer) {
        Http01Responder sharedResponder() {
            return Http01Responder.sharedThrough(store.sharedChallengeTokens().orElseThrow());
        }

        void close() throws Exception {
            closer.close();
        }
    }

    /**
     * Opens a node's store on {@link #database}.
     *
     * @param node       the node's name
     * @param ownFolder  a folder of the node's own where it keeps what it has seen across restarts, or null
     * @param fastPolls  whether it looks for other nodes' changes often (node B does)
     */
    protected NodeStore openStore(String node, Path ownFolder, boolean fastPolls) {
        JdbcCertificateStore.Builder builder = JdbcCertificateStore.builder(Databases.plain(database)).key(KEY).nodeName(node);
        if (fastPolls) {
            builder.pollInterval(Duration.ofMillis(200));
        }
        if (ownFolder != null) {
            builder.localCopy(ownFolder);
        }
        JdbcCertificateStore store = builder.build();
        return new NodeStore(store, store::close);
    }

    /** Copies the certificate's stored form aside, as a database writer without the store key could. */
    protected void snapshotCertificate() throws Exception {
        sql("CREATE TABLE snapshot AS SELECT * FROM autocert4j_certificates WHERE domain = '" + DOMAIN + "'");
    }

    /** Puts the copy made by {@link #snapshotCertificate()} back in place of the current certificate. */
    protected void copyCertificateBack() throws Exception {
        sql("DELETE FROM autocert4j_certificates WHERE domain = '" + DOMAIN + "'");
        sql("INSERT INTO autocert4j_certificates SELECT * FROM snapshot");
    }

    @BeforeEach
    void startNodes() throws Exception {
        database = freshDatabase();
        storeA = openStore("node-a", null, false);
        storeB = nodeBStore();
        Http01Responder challengesA = storeA.sharedResponder();
        Http01Responder challengesB = storeB.sharedResponder();
        onlyNodeBListens = Http01Listener.start(challengesB,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), PEBBLE.httpChallengePort()));
        hostA = new RecordingBindingProvider("http://" + DOMAIN + ":80");
        hostB = new RecordingBindingProvider("http://" + DOMAIN + ":80");
        nodeA = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(hostA)
                .challengeSolver(challengesA).certificateStore(storeA.store()).build();
        nodeB = nodeB(challengesB);
    }

    /** Node B keeps what it has seen of the store in a folder of its own, so that it outlives a restart. */
    private NodeStore nodeBStore() {
        return openStore("node-b", localCopies.resolve("node-b"), true);
    }

    private AutoCert nodeB(Http01Responder challenges) {
        return AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(hostB)
                .challengeSolver(challenges).certificateStore(storeB.store())
                .listener(new dev.autocert4j.AutoCertListener() {
                    @Override
                    public void installed(IssuedCertificate certificate, Binding binding, dev.autocert4j.InstallResult result) {
                        installedOnB.add(certificate);
                    }
                }).build();
    }

    @AfterEach
    void stopNodes() throws Exception {
        nodeA.close();
        nodeB.close();
        onlyNodeBListens.close();
        storeA.close();
        storeB.close();
    }

    private static EnrollmentRequest request() {
        return EnrollmentRequest.builder().binding(new Binding("http", DOMAIN, 80)).httpsPort(8443)
                .email("admin@autocert4j.test").termsOfServiceAccepted(true).build();
    }

    @Test
    void nodeAValidatesThroughNodeBAndNodeBInstallsWhatNodeARenews() throws Exception {
        CertificateStatus obtained = nodeA.enroll(request());
        assertThat(obtained.lastError()).as("validated although only node B answers HTTP").isNull();

        nodeB.start(); // resumes the enrollment node A stored, installs the certificate, watches the store
        assertThat(installedOnB.poll(10, TimeUnit.SECONDS).metadata().serialNumber()).isEqualTo(obtained.serialNumber());

        CertificateStatus renewed = nodeA.renewNow(DOMAIN);

        assertThat(installedOnB.poll(10, TimeUnit.SECONDS).metadata().serialNumber())
                .as("node B installs node A's renewal through the change feed").isEqualTo(renewed.serialNumber());
        assertThat(hostB.installed().get(HTTPS).metadata().serialNumber()).isEqualTo(renewed.serialNumber());
        assertThat(nodeB.status(DOMAIN).lastAttempt()).as("node B never called the CA").isNull();
    }

    @Test
    void aNameEnrolledOnNodeAAfterNodeBStartedIsServedAndManagedByNodeBToo() throws Exception {
        nodeB.start(); // nothing enrolled yet

        CertificateStatus obtained = nodeA.enroll(request());

        assertThat(installedOnB.poll(10, TimeUnit.SECONDS).metadata().serialNumber())
                .as("node B takes the enrollment up through the change feed").isEqualTo(obtained.serialNumber());
        assertThat(nodeB.enrollments()).extracting(EnrollmentRequest::domain).containsExactly(DOMAIN);
        assertThat(nodeB.status(DOMAIN).lastAttempt()).as("node B never called the CA").isNull();
    }

    @Test
    void anOlderCertificateRowCopiedBackIsNeverServedByTheRunningNodeNorByTheNodeStartedAgain() throws Exception {
        String replaced = nodeA.enroll(request()).serialNumber();
        nodeB.start();
        assertThat(installedOnB.poll(10, TimeUnit.SECONDS).metadata().serialNumber()).isEqualTo(replaced);
        snapshotCertificate();
        String current = nodeA.renewNow(DOMAIN).serialNumber();
        assertThat(installedOnB.poll(10, TimeUnit.SECONDS).metadata().serialNumber()).isEqualTo(current);

        // a database writer without the store key puts the replaced certificate's row back
        copyCertificateBack();

        assertThat(nodeB.status(DOMAIN).serialNumber()).as("the running node does not believe the row").isNull();
        assertThat(nodeB.status(DOMAIN).lastError()).contains("copied back");
        assertThat(servedSerialOnB()).as("and keeps serving the current certificate").isEqualTo(current);

        nodeB.close();
        storeB.close();
        storeB = nodeBStore();
        nodeB = nodeB(storeB.sharedResponder());
        nodeB.resume(); // started again: stored certificates back on, no network call, no thread
        nodeB.checkAll(); // and every certificate checked at once, as a cron job would

        assertThat(hostB.installed().values()).extracting(certificate -> certificate.metadata().serialNumber())
                .as("the node started again never serves the replaced certificate").doesNotContain(replaced);
        assertThat(installedOnB).extracting(certificate -> certificate.metadata().serialNumber()).doesNotContain(replaced);
        assertThat(servedSerialOnB()).isNotEqualTo(replaced);
    }

    private String servedSerialOnB() {
        IssuedCertificate served = hostB.installed().get(HTTPS);
        return served == null ? null : served.metadata().serialNumber();
    }

    void sql(String statement) throws SQLException {
        try (Connection connection = Databases.plain(database).getConnection();
             Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }
}
