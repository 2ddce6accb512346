package dev.autocert4j.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.jdbc.JdbcCertificateStore;
import dev.autocert4j.jdbc.StoreKey;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.PostgresServer;
import dev.autocert4j.testkit.TestCertificates;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The renewal check with nothing due on the PostgreSQL store: {@code JdbcRenewalCheck <count>}.
 * Starts a throwaway PostgreSQL (Debian's package), saves that many valid certificates through the
 * store, puts them under management, then times one full check pass a day later (nothing due,
 * renewal information off: no network), over a HikariCP pool of 4 connections.
 */
public final class JdbcRenewalCheck {

    private JdbcRenewalCheck() {
    }

    /**
     * @param args how many certificates
     */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        try (PostgresServer postgres = PostgresServer.start(); HikariDataSource pool = pool(postgres.createDatabase("bench"))) {
            JdbcCertificateStore store = JdbcCertificateStore.builder(pool).key(StoreKey.of(new byte[32]))
                    .nodeName("bench").build();
            Instant issued = Instant.now().minus(Duration.ofDays(10));
            List<Binding> bindings = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                Binding binding = Binding.parse("http://site" + i + ".bench.test:80");
                bindings.add(binding);
                store.saveCertificate(TestCertificates.issued(binding.host(), issued, Duration.ofDays(90)));
            }
            Measure.result("fixture_created_s", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
            MutableClock clock = new MutableClock(Instant.now());
            AutoCert autoCert = Offline.autoCert(store, new Offline.DiscardingHost(bindings)).clock(clock).build();

            start = System.nanoTime();
            for (Binding binding : bindings) {
                autoCert.manage(EnrollmentRequest.builder().binding(binding).httpsPort(443)
                        .email("bench@bench.test").termsOfServiceAccepted(true).build());
            }
            double manageMillis = (System.nanoTime() - start) / 1e6;

            List<Double> passes = new ArrayList<>();
            for (int pass = 0; pass < 5; pass++) {
                clock.advance(Duration.ofHours(25));
                start = System.nanoTime();
                autoCert.checkNow();
                passes.add((System.nanoTime() - start) / 1e6);
            }
            long attempts = bindings.stream().filter(b -> autoCert.status(b.host()).lastAttempt() != null).count();
            Measure.result("certificates", String.valueOf(count));
            Measure.result("startup_manage_ms", Measure.millis(manageMillis));
            Measure.result("check_pass_ms", Measure.millis(Measure.median(passes)));
            Measure.result("attempts_made", String.valueOf(attempts));
            store.close();
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

}
