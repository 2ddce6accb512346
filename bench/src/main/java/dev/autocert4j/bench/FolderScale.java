package dev.autocert4j.bench;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStores;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.StoreKey;
import dev.autocert4j.pkcs12.FolderStorage;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.StoreKeyFiles;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.TlsClient;
import dev.autocert4j.tls.SniKeyManager;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * 100,000 certificates in the folder store: {@code FolderScale make <count> <folder>} makes the
 * fixture (sharded folder, one shared key, see {@link ScaleFixtures}); {@code FolderScale run <count>
 * <folder>} restarts a server on it, in a fresh JVM: time from building {@code AutoCert} and calling
 * {@code start()} until an HTTPS handshake for the first name gets its certificate, heap growth per
 * certificate after GC, the first handshake for names not served yet (cold: read, verified and
 * decrypted then) and again (warm), and a check pass with nothing due, at once and a day later.
 */
public final class FolderScale {

    private static final int SAMPLES = 300;
    private static final int WARM_UP_HANDSHAKES = 500;

    private FolderScale() {
    }

    /** @param args {@code make} or {@code run}, how many certificates, the fixture folder */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[1]);
        Path fixture = Path.of(args[2]).resolve("folder-" + count);
        if (args[0].equals("make")) {
            make(count, fixture);
        } else if (args[0].equals("probe")) {
            probe(count, fixture);
        } else {
            run(count, fixture);
        }
    }

    private static void make(int count, Path fixture) throws Exception {
        if (Files.exists(fixture)) {
            throw new IllegalStateException(fixture + " exists");
        }
        Files.createDirectories(fixture.getParent());
        StoreKey key = StoreKeyFiles.createFile(fixture.resolveSibling("folder-" + count + ".key"));
        FolderStorage storage = new FolderStorage(fixture);
        storage.put("bench-fixture", ("made " + Instant.now() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        double seconds = new ScaleFixtures().fill(CertificateStores.onStorage(new UnsyncedFolderStorage(storage), key), count);
        Measure.result("fixture_created_s", String.format(Locale.ROOT, "%.1f", seconds));
    }

    /** Times what start-up asks of the store, step by step. */
    private static void probe(int count, Path fixture) {
        StoreKey key = StoreKeyFiles.readFrom(fixture.resolveSibling("folder-" + count + ".key"));
        CertificateStore store = CertificateStores.onStorage(new FolderStorage(fixture), key);
        long start = System.nanoTime();
        List<String> enrollmentNames = List.copyOf(store.enrollmentNames());
        Measure.result("list_enrollments_ms", Measure.millis((System.nanoTime() - start) / 1e6));
        start = System.nanoTime();
        int enrollments = store.loadEnrollments().size();
        Measure.result("load_enrollments_ms", Measure.millis((System.nanoTime() - start) / 1e6) + " (" + enrollments + ")");
        for (int pass = 0; pass < 3; pass++) {
            start = System.nanoTime();
            int metadata = store.loadAllMetadata(enrollmentNames).size();
            Measure.result("load_all_metadata_" + pass + "_ms", Measure.millis((System.nanoTime() - start) / 1e6) + " (" + metadata + ")");
        }
    }

    private static void run(int count, Path fixture) throws Exception {
        StoreKey key = StoreKeyFiles.readFrom(fixture.resolveSibling("folder-" + count + ".key"));
        measure(count, () -> CertificateStores.onStorage(new FolderStorage(fixture), key));
    }

    /**
     * Restarts a server on a store that holds {@code count} fixture certificates and prints the figures.
     *
     * @param opener opens the store; called inside the timed start
     */
    static void measure(int count, Supplier<CertificateStore> opener) throws Exception {
        List<Binding> bindings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bindings.add(Binding.parse("http://" + ScaleFixtures.name(i) + ":80"));
        }
        SniKeyManager keys = new SniKeyManager();
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(keys.sslContext()));
        server.start();
        InetSocketAddress https = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getAddress().getPort());
        long heapBefore = Measure.heapAfterGcKiB();
        double cpuBefore = Measure.cpuSeconds();
        MutableClock clock = new MutableClock(Instant.now());

        long start = System.nanoTime();
        CertificateStore store = opener.get();
        AutoCert autoCert = Offline.autoCert(store, new LazyHost(bindings, keys)).clock(clock)
                .verifyInstallation(false).build();
        long startCall = System.nanoTime();
        autoCert.start();
        double startCallMillis = (System.nanoTime() - startCall) / 1e6;
        TlsClient client = TlsClient.create();
        client.servedSerial(https, ScaleFixtures.name(0));
        double readyMillis = (System.nanoTime() - start) / 1e6;
        double startCpu = Measure.cpuSeconds() - cpuBefore;
        long heapAfterStart = Measure.heapAfterGcKiB();

        for (int i = 0; i < WARM_UP_HANDSHAKES; i++) {
            client.servedSerial(https, ScaleFixtures.name(0));
        }
        List<String> names = sampleNames(count);
        List<Double> cold = handshakes(client, https, names);
        List<Double> warm = handshakes(client, https, names);
        long heapAfterHandshakes = Measure.heapAfterGcKiB();

        start = System.nanoTime();
        autoCert.checkNow();
        double checkNowMillis = (System.nanoTime() - start) / 1e6;
        clock.advance(Duration.ofHours(25)); // every regular check comes round; none is due for renewal
        List<Double> dayLater = new ArrayList<>();
        for (int pass = 0; pass < 3; pass++) {
            start = System.nanoTime();
            autoCert.checkNow();
            dayLater.add((System.nanoTime() - start) / 1e6);
            clock.advance(Duration.ofHours(25));
        }
        long attempts = bindings.stream().filter(b -> autoCert.status(b.host()).lastAttempt() != null).count();
        autoCert.close();
        server.stop(0);

        Measure.result("certificates", String.valueOf(count));
        Measure.result("https_ready_ms", Measure.millis(readyMillis));
        Measure.result("start_call_ms", Measure.millis(startCallMillis));
        Measure.result("start_cpu_s", String.format(Locale.ROOT, "%.2f", startCpu));
        Measure.result("heap_kib_per_certificate", String.format(Locale.ROOT, "%.2f", (double) (heapAfterStart - heapBefore) / count));
        Measure.result("heap_kib_per_certificate_after_handshakes", String.format(Locale.ROOT, "%.2f",
                (double) (heapAfterHandshakes - heapBefore) / count));
        Measure.result("cold_handshake_median_ms", Measure.millis(Measure.median(cold)));
        Measure.result("cold_handshake_p99_ms", Measure.millis(percentile(cold, 0.99)));
        Measure.result("cold_handshake_max_ms", Measure.millis(Collections.max(cold)));
        Measure.result("warm_handshake_median_ms", Measure.millis(Measure.median(warm)));
        Measure.result("check_pass_nothing_due_ms", Measure.millis(checkNowMillis));
        Measure.result("check_pass_day_later_ms", dayLater.stream().map(Measure::millis).toList().toString());
        Measure.result("renewal_attempts", String.valueOf(attempts));
        Measure.result("peak_rss_kib", String.valueOf(Measure.peakRssKiB()));
    }

    static List<String> sampleNames(int count) {
        SplittableRandom random = new SplittableRandom(16);
        List<String> names = new ArrayList<>();
        while (names.size() < SAMPLES) {
            String name = ScaleFixtures.name(1 + random.nextInt(count - 1));
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    static List<Double> handshakes(TlsClient client, InetSocketAddress https, List<String> names) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (String name : names) {
            long start = System.nanoTime();
            X509Certificate served = client.handshake(https, name).get(0);
            millis.add((System.nanoTime() - start) / 1e6);
            if (!CertificateMetadata.subjectAlternativeNames(served).contains(name)) {
                throw new IllegalStateException("a handshake for " + name + " got another name's certificate");
            }
        }
        return millis;
    }

    static double percentile(List<Double> values, double share) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(share * sorted.size()) - 1));
    }

    /** A host serving every certificate from one SNI key manager, stored ones installed by their metadata. */
    private record LazyHost(List<Binding> bindings, SniKeyManager keys) implements BindingProvider {
        @Override
        public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
            keys.put(certificate);
            return InstallResult.LIVE;
        }

        @Override
        public InstallResult installStored(Binding httpsBinding, CertificateMetadata metadata,
                                           Supplier<IssuedCertificate> loader) {
            keys.putLazily(metadata, loader);
            return InstallResult.LIVE;
        }
    }
}
