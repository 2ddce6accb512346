package dev.autocert4j.bench;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.TestCertificates;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The renewal check with nothing due, at scale: {@code RenewalCheck <count> <fixture-folder>}.
 * The fixture (a PKCS#12 store with that many valid certificates) is made once and reused. Times
 * putting every domain under management at start-up (stored certificates installed, no network)
 * and one full check pass a day later (nothing due; renewal information off, so no network), and
 * the heap it takes.
 */
public final class RenewalCheck {

    private static final char[] PASSWORD = "bench".toCharArray();

    private RenewalCheck() {
    }

    /**
     * @param args how many certificates, and the folder of the fixture store
     */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        Path fixture = Path.of(args[1]).resolve("store-" + count);
        Instant issued = Instant.now().minus(Duration.ofDays(10));
        List<Binding> bindings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bindings.add(Binding.parse("http://site" + i + ".bench.test:80"));
        }
        Pkcs12CertificateStore store = new Pkcs12CertificateStore(fixture, PASSWORD);
        if (!Files.isDirectory(fixture.resolve("certificates")) || store.domains().size() != count) {
            long start = System.nanoTime();
            for (Binding binding : bindings) {
                store.saveCertificate(TestCertificates.issued(binding.host(), issued, Duration.ofDays(90)));
            }
            Measure.result("fixture_created_s", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        }
        long heapBefore = Measure.heapAfterGcKiB();
        MutableClock clock = new MutableClock(Instant.now());
        AutoCert autoCert = Offline.autoCert(store, new Offline.DiscardingHost(bindings)).clock(clock).build();

        long start = System.nanoTime();
        for (Binding binding : bindings) {
            autoCert.manage(EnrollmentRequest.builder().binding(binding).httpsPort(443)
                    .email("bench@bench.test").termsOfServiceAccepted(true).build());
        }
        double manageMillis = (System.nanoTime() - start) / 1e6;

        clock.advance(Duration.ofHours(25));
        start = System.nanoTime();
        autoCert.checkNow();
        double checkMillis = (System.nanoTime() - start) / 1e6;

        long heapAfter = Measure.heapAfterGcKiB();
        long renewedOrFailed = bindings.stream().filter(b -> autoCert.status(b.host()).lastAttempt() != null).count();
        Measure.result("certificates", String.valueOf(count));
        Measure.result("startup_manage_ms", Measure.millis(manageMillis));
        Measure.result("check_pass_ms", Measure.millis(checkMillis));
        Measure.result("heap_kib_per_certificate", String.format(java.util.Locale.ROOT, "%.2f",
                (double) (heapAfter - heapBefore) / count));
        Measure.result("attempts_made", String.valueOf(renewedOrFailed));
        Measure.result("peak_rss_kib", String.valueOf(Measure.peakRssKiB()));
    }

}
