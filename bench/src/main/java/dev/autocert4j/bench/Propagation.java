package dev.autocert4j.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.jdbc.JdbcCertificateStore;
import dev.autocert4j.jdbc.StoreKey;
import dev.autocert4j.testkit.PostgresServer;
import dev.autocert4j.testkit.TestCertificates;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How long a certificate one node saves takes to reach the other nodes' change feed:
 * {@code Propagation <saves> <poll-millis>}. One throwaway PostgreSQL, three stores (nodes), each
 * with its own pool; node 1 saves a certificate every 700 ms, nodes 2 and 3 time its arrival.
 * Installing it (a TLS context swap) adds well under a millisecond on top.
 */
public final class Propagation {

    private Propagation() {
    }

    /**
     * @param args how many saves, and the change feed's poll interval in milliseconds
     */
    public static void main(String[] args) throws Exception {
        int saves = Integer.parseInt(args[0]);
        Duration poll = Duration.ofMillis(Long.parseLong(args[1]));
        StoreKey key = StoreKey.of(new byte[32]);
        try (PostgresServer postgres = PostgresServer.start()) {
            String url = postgres.createDatabase("bench");
            List<HikariDataSource> pools = new ArrayList<>();
            List<JdbcCertificateStore> nodes = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                HikariDataSource pool = pool(url);
                pools.add(pool);
                nodes.add(JdbcCertificateStore.builder(pool).key(key).nodeName("node-" + i).pollInterval(poll).build());
            }
            Map<String, Long> savedAt = new ConcurrentHashMap<>();
            List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch arrivals = new CountDownLatch(2 * saves);
            for (JdbcCertificateStore node : nodes.subList(1, 3)) {
                node.watch(domain -> {
                    Long saved = savedAt.get(domain);
                    if (saved != null) {
                        latencies.add((System.nanoTime() - saved) / 1e6);
                        arrivals.countDown();
                    }
                });
            }
            Thread.sleep(poll.toMillis() * 2); // the feeds have read what was there before
            for (int i = 0; i < saves; i++) {
                IssuedCertificate certificate = TestCertificates.issued("site" + i + ".bench.test");
                savedAt.put(certificate.metadata().domain(), System.nanoTime());
                nodes.get(0).saveCertificate(certificate);
                Thread.sleep(700);
            }
            if (!arrivals.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not every save reached both nodes");
            }
            List<Double> sorted = new ArrayList<>(latencies);
            sorted.sort(null);
            Measure.result("saves", String.valueOf(saves));
            Measure.result("poll_ms", String.valueOf(poll.toMillis()));
            Measure.result("p50_ms", Measure.millis(sorted.get(sorted.size() / 2)));
            Measure.result("p99_ms", Measure.millis(sorted.get(Math.min(sorted.size() - 1, sorted.size() * 99 / 100))));
            Measure.result("max_ms", Measure.millis(sorted.get(sorted.size() - 1)));
            nodes.forEach(JdbcCertificateStore::close);
            pools.forEach(HikariDataSource::close);
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }
}
