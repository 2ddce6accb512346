package dev.autocert4j.bench;

import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.http.Http01Listener;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;
import dev.autocert4j.testkit.PebbleServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Many names due at once, the way a host adding names after a migration sees them: {@code count}
 * enrollments are put under management, then {@code start()} obtains them all from one local
 * Pebble, {@code concurrentIssuance(n)} at a time, for each {@code n} given. Each level gets a
 * fresh PKCS#12 folder (so it registers its own one account) and fresh names; a level of 16
 * names at concurrency 4 warms the JVM first and is not reported. A level given twice is run
 * and reported twice.
 * {@code ConcurrentIssuance <count> <levels, e.g. 1,2,4,8,16> <work-dir>}
 */
public final class ConcurrentIssuance {

    private static final long LEVEL_TIMEOUT_SECONDS = 600;

    private ConcurrentIssuance() {
    }

    /**
     * @param args certificate count per level, comma-separated concurrency levels, work folder
     */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        List<Integer> levels = Stream.of(args[1].split(",")).map(String::trim).map(Integer::parseInt).toList();
        Path work = Path.of(args[2]);
        try (PebbleServer pebble = new PebbleServer(PebbleServer.Settings.defaults()).start()) {
            new Level(pebble, 16, 4, "warmup", work).run();
            for (int run = 0; run < levels.size(); run++) {
                int concurrency = levels.get(run);
                LevelResult result = new Level(pebble, count, concurrency, "r" + run + "c" + concurrency + "-", work).run();
                String key = "concurrency_" + concurrency;
                Measure.result(key + "_s", String.format(Locale.ROOT, "%.2f", result.seconds()));
                Measure.result(key + "_issued", String.valueOf(result.issued()));
                Measure.result(key + "_failures", String.valueOf(result.failures()));
                Measure.result(key + "_accounts", String.valueOf(result.accounts()));
                Measure.result(key + "_manage_ms", Measure.millis(result.manageMillis()));
            }
            Measure.result("cpu_s", String.format(Locale.ROOT, "%.2f", Measure.cpuSeconds()));
            Measure.result("peak_rss_kib", String.valueOf(Measure.peakRssKiB()));
        }
    }

    /** What one level did: wall time from {@code start()} to the last certificate, and its outcome. */
    private record LevelResult(double seconds, int issued, int failures, long accounts, double manageMillis) {
    }

    /** One concurrency level: fresh names, a fresh store, one {@link AutoCert}. */
    private record Level(PebbleServer pebble, int count, int concurrency, String prefix, Path work) {

        LevelResult run() throws IOException, InterruptedException {
            List<Binding> bindings = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                bindings.add(Binding.parse("http://" + prefix + i + ".bench.test:" + pebble.httpChallengePort()));
            }
            Path state = Files.createDirectories(work.resolve(prefix + "state"));
            AtomicInteger issued = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(count);
            Http01Responder responder = new Http01Responder();
            try (Http01Listener listener = Http01Listener.start(responder,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), pebble.httpChallengePort()));
                 AutoCert autoCert = AutoCert.builder()
                         .certificateAuthority(CertificateAuthority.at(pebble.directoryUri())
                                 .trusting(pebble.trustFile()).named("Pebble"))
                         .bindingProvider(new Offline.DiscardingHost(bindings))
                         .challengeSolver(responder)
                         .certificateStore(new Pkcs12CertificateStore(state, "bench".toCharArray()))
                         .concurrentIssuance(concurrency)
                         .listener(new Outcomes(issued, failures, done))
                         .build()) {
                long manageStart = System.nanoTime();
                for (Binding binding : bindings) {
                    autoCert.manage(EnrollmentRequest.builder().binding(binding).httpsPort(8443)
                            .email("bench@bench.test").termsOfServiceAccepted(true).build());
                }
                double manageMillis = (System.nanoTime() - manageStart) / 1e6;
                long start = System.nanoTime();
                autoCert.start();
                if (!done.await(LEVEL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Level " + prefix + " did not finish within "
                            + LEVEL_TIMEOUT_SECONDS + " s: " + issued + " issued, " + failures + " failed");
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return new LevelResult(seconds, issued.get(), failures.get(), accounts(state), manageMillis);
            }
        }

        private static long accounts(Path state) throws IOException {
            try (Stream<Path> files = Files.list(state.resolve("accounts"))) {
                return files.filter(file -> file.getFileName().toString().endsWith(".account")).count();
            }
        }
    }

    /** Counts each name's first outcome; a failed name is retried later, which this level does not wait for. */
    private record Outcomes(AtomicInteger issued, AtomicInteger failures, CountDownLatch done)
            implements AutoCertListener {
        @Override
        public void obtained(IssuedCertificate certificate, boolean renewal) {
            issued.incrementAndGet();
            done.countDown();
        }

        @Override
        public void failed(String domain, AutoCertException failure, Instant nextAttempt) {
            failures.incrementAndGet();
            System.err.println("Failed: " + domain + ": " + failure.getMessage());
            done.countDown();
        }
    }

}
