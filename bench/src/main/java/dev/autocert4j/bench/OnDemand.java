package dev.autocert4j.bench;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.autocert4j.AccountRegistration;
import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.OnDemandGuard;
import dev.autocert4j.OnDemandIssuance;
import dev.autocert4j.RateLimit;
import dev.autocert4j.http.Http01Listener;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.NamedThreads;
import dev.autocert4j.testkit.PebbleServer;
import dev.autocert4j.testkit.TlsClient;
import dev.autocert4j.tls.SniKeyManager;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * On-demand issuance against one local Pebble: the first TLS handshake for each of {@code count}
 * new names (each ordered, validated over HTTP-01, stored in PKCS#12 and served to that very
 * handshake), timed from the client's side; then {@code storm} handshakes at once for one more new
 * name, with the orders Pebble counted. Five names warm the JVM first and are not reported.
 * {@code OnDemand <count> <storm> <work-dir>}
 */
public final class OnDemand {

    private OnDemand() {
    }

    /**
     * @param args new names to time one by one, handshakes at once for the storm, work folder
     */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int storm = Integer.parseInt(args[1]);
        Path work = Path.of(args[2]);
        SniKeyManager keys = new SniKeyManager();
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        https.setHttpsConfigurator(new HttpsConfigurator(keys.sslContext()));
        ExecutorService handshakeThreads = Executors.newCachedThreadPool(NamedThreads.daemon("bench-https"));
        https.setExecutor(handshakeThreads);
        https.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        https.start();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), https.getAddress().getPort());
        Http01Responder responder = new Http01Responder();
        try (PebbleServer pebble = new PebbleServer(PebbleServer.Settings.defaults()).start();
             Http01Listener listener = Http01Listener.start(responder,
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), pebble.httpChallengePort()));
             AutoCert autoCert = AutoCert.builder()
                     .certificateAuthority(CertificateAuthority.at(pebble.directoryUri())
                             .trusting(pebble.trustFile()).named("Pebble"))
                     .bindingProvider(new Host(keys, pebble.httpChallengePort()))
                     .challengeSolver(responder)
                     .certificateStore(new Pkcs12CertificateStore(Files.createDirectories(work.resolve("state")),
                             "bench".toCharArray()))
                     .onDemand(OnDemandIssuance.builder()
                             .guard(OnDemandGuard.allowingSuffixes("ondemand.bench.test"))
                             .keyManager(keys)
                             .httpsPort(address.getPort())
                             .newNames(RateLimit.of(10_000, Duration.ofMinutes(1)))
                             .build())
                     .build()) {
            autoCert.register(AccountRegistration.builder().email("bench@bench.test")
                    .termsOfServiceAccepted(autoCert.termsOfService().orElseThrow()).build());
            autoCert.start();
            for (int i = 0; i < 5; i++) {
                firstHandshakeMillis(address, "warmup" + i + ".ondemand.bench.test");
            }
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                millis.add(firstHandshakeMillis(address, "name" + i + ".ondemand.bench.test"));
            }
            Measure.result("first_handshake_median_ms", Measure.millis(Measure.median(millis)));
            Measure.result("first_handshake_p99_ms", Measure.millis(percentile(millis, 99)));
            Measure.result("first_handshake_max_ms", Measure.millis(Collections.max(millis)));
            stormOfHandshakes(pebble, address, storm);
            Measure.result("cpu_s", String.format(Locale.ROOT, "%.2f", Measure.cpuSeconds()));
        } finally {
            https.stop(0);
            handshakeThreads.shutdownNow();
        }
    }

    private static double firstHandshakeMillis(InetSocketAddress address, String name) throws Exception {
        long start = System.nanoTime();
        X509Certificate served = TlsClient.create().handshake(address, name).get(0);
        double millis = (System.nanoTime() - start) / 1e6;
        if (served.getSubjectAlternativeNames().stream().noneMatch(san -> name.equals(san.get(1)))) {
            throw new IllegalStateException("The first handshake for " + name + " did not get its certificate");
        }
        return millis;
    }

    /** {@code handshakes} at once for one new name: all get its certificate, from one order. */
    private static void stormOfHandshakes(PebbleServer pebble, InetSocketAddress address, int handshakes)
            throws Exception {
        String name = "storm.ondemand.bench.test";
        int ordersBefore = pebble.issuedCount();
        ExecutorService clients = Executors.newFixedThreadPool(handshakes, NamedThreads.daemon("bench-client"));
        try {
            long start = System.nanoTime();
            List<Future<X509Certificate>> all = new ArrayList<>();
            for (int i = 0; i < handshakes; i++) {
                all.add(clients.submit(() -> TlsClient.create().handshake(address, name).get(0)));
            }
            Set<BigInteger> serials = new HashSet<>();
            for (Future<X509Certificate> each : all) {
                serials.add(each.get(60, TimeUnit.SECONDS).getSerialNumber());
            }
            double millis = (System.nanoTime() - start) / 1e6;
            Measure.result("storm_handshakes", String.valueOf(handshakes));
            Measure.result("storm_all_served_ms", Measure.millis(millis));
            Measure.result("storm_distinct_certificates", String.valueOf(serials.size()));
            Measure.result("storm_orders", String.valueOf(pebble.issuedCount() - ordersBefore));
        } finally {
            clients.shutdownNow();
        }
    }

    private static double percentile(List<Double> values, int percent) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    /** One portal name on the challenge port; every certificate goes to the key manager. */
    private record Host(SniKeyManager keys, int httpPort) implements BindingProvider {
        @Override
        public List<Binding> bindings() {
            return List.of(Binding.parse("http://portal.bench.test:" + httpPort));
        }

        @Override
        public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
            keys.put(certificate);
            return InstallResult.LIVE;
        }
    }
}
