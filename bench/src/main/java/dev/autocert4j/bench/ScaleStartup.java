package dev.autocert4j.bench;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.testkit.TestCertificates;
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
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A server restarting with many stored certificates: {@code ScaleStartup <count> <fixture-folder>
 * <lazy|eager>}. The fixture (a PKCS#12 store with that many valid certificates and their
 * enrollments) is made once and reused. Times {@link AutoCert#start()} until HTTPS answers, the
 * first handshake for names nobody asked for yet (cold: the key is decrypted then, when lazy) and
 * the same names again (warm), and the heap the certificates take. {@code eager} installs every
 * certificate with its key at start, as binding providers without {@code installStored} do.
 */
public final class ScaleStartup {

    private static final char[] PASSWORD = "bench".toCharArray();
    private static final int SAMPLES = 50;
    private static final int WARM_UP_HANDSHAKES = 500;

    private ScaleStartup() {
    }

    /**
     * @param args how many certificates, the fixture folder, and {@code lazy} or {@code eager}
     */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        Path fixture = Path.of(args[1]).resolve("startup-" + count);
        boolean lazy = args[2].equals("lazy");
        List<Binding> bindings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bindings.add(Binding.parse("http://site" + i + ".bench.test:80"));
        }
        makeFixtureOnce(fixture, bindings);

        SniKeyManager keys = new SniKeyManager();
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(keys.sslContext()));
        server.start();
        InetSocketAddress https = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getAddress().getPort());
        long heapBefore = Measure.heapAfterGcKiB();
        double cpuBefore = Measure.cpuSeconds();

        long start = System.nanoTime();
        AutoCert autoCert = autoCert(new Pkcs12CertificateStore(fixture, PASSWORD), new Host(bindings, keys, lazy));
        long startCall = System.nanoTime();
        autoCert.start();
        double startCallMillis = (System.nanoTime() - startCall) / 1e6;
        TlsClient client = TlsClient.create();
        client.servedSerial(https, "site0.bench.test");
        double readyMillis = (System.nanoTime() - start) / 1e6;
        double startCpu = Measure.cpuSeconds() - cpuBefore;
        long heapAfterStart = Measure.heapAfterGcKiB();

        SplittableRandom random = new SplittableRandom(16);
        List<String> names = new ArrayList<>();
        while (names.size() < SAMPLES) {
            String name = "site" + (1 + random.nextInt(count - 1)) + ".bench.test";
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        for (int i = 0; i < WARM_UP_HANDSHAKES; i++) {
            client.servedSerial(https, "site0.bench.test"); // the TLS code warm, so cold names measure the loading
        }
        List<Double> cold = handshakes(client, https, names);
        List<Double> warm = handshakes(client, https, names);
        autoCert.close();
        server.stop(0);

        Measure.result("certificates", String.valueOf(count));
        Measure.result("mode", lazy ? "lazy" : "eager");
        Measure.result("https_ready_ms", Measure.millis(readyMillis));
        Measure.result("start_call_ms", Measure.millis(startCallMillis));
        Measure.result("start_cpu_s", String.format(Locale.ROOT, "%.2f", startCpu));
        Measure.result("cold_handshake_median_ms", Measure.millis(Measure.median(cold)));
        Measure.result("cold_handshake_max_ms", Measure.millis(cold.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
        Measure.result("warm_handshake_median_ms", Measure.millis(Measure.median(warm)));
        Measure.result("heap_kib_per_certificate", String.format(Locale.ROOT, "%.2f",
                (double) (heapAfterStart - heapBefore) / count));
        Measure.result("peak_rss_kib", String.valueOf(Measure.peakRssKiB()));
    }

    private static List<Double> handshakes(TlsClient client, InetSocketAddress https, List<String> names) throws Exception {
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

    private static AutoCert autoCert(Pkcs12CertificateStore store, BindingProvider host) {
        return Offline.autoCert(store, host).verifyInstallation(false).build();
    }

    /** Valid certificates and their enrollments, so that {@code start()} resumes them all. */
    private static void makeFixtureOnce(Path fixture, List<Binding> bindings) throws Exception {
        // a marker, not a look into the store: reading the store here would warm up the code start() runs
        Path complete = fixture.resolveSibling(fixture.getFileName() + ".complete");
        if (Files.exists(complete)) {
            return;
        }
        Pkcs12CertificateStore store = new Pkcs12CertificateStore(fixture, PASSWORD);
        long start = System.nanoTime();
        Instant issued = Instant.now().minus(Duration.ofDays(10));
        for (Binding binding : bindings) {
            store.saveCertificate(TestCertificates.issued(binding.host(), issued, Duration.ofDays(90)));
        }
        try (AutoCert autoCert = autoCert(store, new Host(bindings, new SniKeyManager(), true))) {
            for (Binding binding : bindings) {
                autoCert.manage(EnrollmentRequest.builder().binding(binding).httpsPort(443)
                        .email("bench@bench.test").termsOfServiceAccepted(true).build());
            }
        }
        Files.writeString(complete, bindings.size() + " certificates and enrollments\n");
        Measure.result("fixture_created_s", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
    }

    /** A host serving every certificate from one SNI key manager, installing stored ones lazily or not. */
    private record Host(List<Binding> bindings, SniKeyManager keys, boolean lazy) implements BindingProvider {
        @Override
        public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
            keys.put(certificate);
            return InstallResult.LIVE;
        }

        @Override
        public InstallResult installStored(Binding httpsBinding, CertificateMetadata metadata,
                                           Supplier<IssuedCertificate> loader) {
            if (lazy) {
                keys.putLazily(metadata, loader);
            } else {
                keys.put(loader.get());
            }
            return InstallResult.LIVE;
        }
    }
}
