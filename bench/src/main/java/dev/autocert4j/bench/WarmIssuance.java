package dev.autocert4j.bench;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.http.Http01Listener;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * autocert4j inside one long-running JVM, the way a server runs it: one warm-up enrollment, then
 * {@code count} enrollments of distinct names, each timed.
 * {@code WarmIssuance <directory> <trust-pem> <challenge-port> <count> <name-prefix> <state-dir>}
 */
public final class WarmIssuance {

    private WarmIssuance() {
    }

    /**
     * @param args directory URL, trust PEM, HTTP-01 port, certificate count, name prefix, state folder
     */
    public static void main(String[] args) throws Exception {
        URI directory = URI.create(args[0]);
        Path trust = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        String prefix = args[4];
        List<Binding> bindings = new ArrayList<>();
        for (int i = 0; i <= count; i++) {
            bindings.add(Binding.parse("http://" + prefix + i + ".bench.test:" + port));
        }
        Http01Responder responder = new Http01Responder();
        try (Http01Listener listener = Http01Listener.start(responder,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
             AutoCert autoCert = AutoCert.builder()
                     .certificateAuthority(CertificateAuthority.at(directory).trusting(trust).named("Pebble"))
                     .bindingProvider(new Offline.DiscardingHost(bindings))
                     .challengeSolver(responder)
                     .certificateStore(new Pkcs12CertificateStore(Path.of(args[5]), "bench".toCharArray()))
                     .build()) {
            Measure.result("challenge_listener", listener.address().toString());
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i <= count; i++) {
                long start = System.nanoTime();
                autoCert.enroll(EnrollmentRequest.builder().binding(bindings.get(i)).httpsPort(8443)
                        .email("bench@bench.test").termsOfServiceAccepted(true).build());
                double elapsed = (System.nanoTime() - start) / 1e6;
                if (i > 0) {
                    millis.add(elapsed);
                    Measure.result("cert_ms", Measure.millis(elapsed));
                } else {
                    Measure.result("warmup_ms", Measure.millis(elapsed));
                }
            }
            Measure.result("median_ms", Measure.millis(Measure.median(millis)));
            Measure.result("min_ms", Measure.millis(Collections.min(millis)));
            Measure.result("max_ms", Measure.millis(Collections.max(millis)));
            Measure.result("total_ms", Measure.millis(millis.stream().mapToDouble(Double::doubleValue).sum()));
            Measure.result("cpu_s", String.format(java.util.Locale.ROOT, "%.2f", Measure.cpuSeconds()));
            Measure.result("peak_rss_kib", String.valueOf(Measure.peakRssKiB()));
        }
    }

}
