package dev.autocert4j.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.autocert4j.jdbc.StoreKey;
import dev.autocert4j.jdbc.JdbcCertificateStore;
import dev.autocert4j.testkit.PostgresServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;

/**
 * 100,000 certificates in the PostgreSQL store: {@code JdbcScale <count>}. Starts a throwaway
 * PostgreSQL (Debian's package), fills it with the fixture of {@link ScaleFixtures} through the
 * store, then restarts a server on it with a store and pool of its own, as {@link FolderScale}
 * does. The fixture is made in the same JVM (the throwaway cluster lives as long as it), so the
 * start is measured with the store's code already compiled: read its figure as a lower bound.
 */
public final class JdbcScale {

    private JdbcScale() {
    }

    /** @param args how many certificates */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        StoreKey key = StoreKey.of(new byte[32]);
        try (PostgresServer postgres = PostgresServer.start()) {
            String url = postgres.createDatabase("bench");
            try (HikariDataSource pool = pool(url)) {
                JdbcCertificateStore store = JdbcCertificateStore.builder(pool).key(key).nodeName("fixture").build();
                double seconds = new ScaleFixtures().fill(store, count);
                Measure.result("fixture_created_s", String.format(Locale.ROOT, "%.1f", seconds));
                store.close();
                try (Connection connection = pool.getConnection();
                     PreparedStatement analyze = connection.prepareStatement("ANALYZE")) {
                    analyze.execute();
                }
            }
            HikariDataSource pool = pool(url);
            FolderScale.measure(count, () -> JdbcCertificateStore.builder(pool).key(key).nodeName("bench").build());
            explain(pool);
            pool.close();
        }
    }

    /** How PostgreSQL reads what a check pass and the change feed ask for, on 100,000 rows. */
    private static void explain(HikariDataSource pool) throws Exception {
        String[] queries = {
            "SELECT * FROM autocert4j_certificates WHERE domain IN ('site1.bench.test', 'site2.bench.test')",
            "SELECT domain FROM autocert4j_certificates WHERE change_seq > 99990",
        };
        try (Connection connection = pool.getConnection()) {
            for (String query : queries) {
                try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + query);
                     ResultSet plan = explain.executeQuery()) {
                    while (plan.next()) {
                        Measure.result("explain", plan.getString(1));
                    }
                }
            }
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }
}
