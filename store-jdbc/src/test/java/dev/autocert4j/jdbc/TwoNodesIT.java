package dev.autocert4j.jdbc;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStatus;
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
 * {@link MariaDbTwoNodesIT}).
 */
abstract class TwoNodesIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static final StoreKey KEY = StoreKey.of(new byte[32]);
    private static final String DOMAIN = "cluster.autocert4j.test";
    private static final Binding HTTPS = new Binding("https", DOMAIN, 8443);

    private JdbcCertificateStore storeA;
    private JdbcCertificateStore storeB;
    private Http01Listener onlyNodeBListens;
    private RecordingBindingProvider hostA;
    private RecordingBindingProvider hostB;
    private AutoCert nodeA;
    private AutoCert nodeB;
    private final BlockingQueue<IssuedCertificate> installedOnB = new LinkedBlockingQueue<>();
    private String database;

    @TempDir
    Path localCopies;

    /** @return the JDBC URL of a new, empty database */
    protected abstract String freshDatabase();

    @BeforeEach
    void startNodes() throws Exception {
        database = freshDatabase();
        storeA = JdbcCertificateStore.builder(Databases.plain(database)).key(KEY).nodeName("node-a").build();
        storeB = nodeBStore();
        Http01Responder challengesA = Http01Responder.sharedThrough(storeA.challengeTokens());
        Http01Responder challengesB = Http01Responder.sharedThrough(storeB.challengeTokens());
        onlyNodeBListens = Http01Listener.start(challengesB,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), PEBBLE.httpChallengePort()));
        hostA = new RecordingBindingProvider("http://" + DOMAIN + ":80");
        hostB = new RecordingBindingProvider("http://" + DOMAIN + ":80");
        nodeA = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(hostA)
                .challengeSolver(challengesA).certificateStore(storeA).build();
        nodeB = nodeB(challengesB);
    }

    /** Node B keeps a local copy: what it has seen of the store outlives a restart. */
    private JdbcCertificateStore nodeBStore() {
        return JdbcCertificateStore.builder(Databases.plain(database)).key(KEY).nodeName("node-b")
                .pollInterval(Duration.ofMillis(200)).localCopy(localCopies.resolve("node-b")).build();
    }

    private AutoCert nodeB(Http01Responder challenges) {
        return AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(hostB)
                .challengeSolver(challenges).certificateStore(storeB)
                .listener(new dev.autocert4j.AutoCertListener() {
                    @Override
                    public void installed(IssuedCertificate certificate, Binding binding, dev.autocert4j.InstallResult result) {
                        installedOnB.add(certificate);
                    }
                }).build();
    }

    @AfterEach
    void stopNodes() {
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
        sql("CREATE TABLE snapshot AS SELECT * FROM autocert4j_certificates WHERE domain = '" + DOMAIN + "'");
        String current = nodeA.renewNow(DOMAIN).serialNumber();
        assertThat(installedOnB.poll(10, TimeUnit.SECONDS).metadata().serialNumber()).isEqualTo(current);

        // a database writer without the store key puts the replaced certificate's row back
        sql("DELETE FROM autocert4j_certificates WHERE domain = '" + DOMAIN + "'");
        sql("INSERT INTO autocert4j_certificates SELECT * FROM snapshot");

        assertThat(nodeB.status(DOMAIN).serialNumber()).as("the running node does not believe the row").isNull();
        assertThat(nodeB.status(DOMAIN).lastError()).contains("older row copied back");
        assertThat(servedSerialOnB()).as("and keeps serving the current certificate").isEqualTo(current);

        nodeB.close();
        storeB.close();
        storeB = nodeBStore();
        nodeB = nodeB(Http01Responder.sharedThrough(storeB.challengeTokens()));
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

    private void sql(String statement) throws SQLException {
        try (Connection connection = Databases.plain(database).getConnection();
             Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }
}
