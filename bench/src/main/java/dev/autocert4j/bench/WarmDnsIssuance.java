package dev.autocert4j.bench;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.dns.Dns01Responder;
import dev.autocert4j.dns.DnsProviders;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * DNS-01 through the powerdns provider inside one long-running JVM, the way a server runs it: one
 * warm-up enrollment, then {@code count} enrollments of distinct single names, each timed.
 * {@code WarmDnsIssuance <directory> <trust-pem> <pdns-api-url> <pdns-api-key-file> <pdns-host:53> <count> <prefix> <state>}
 */
public final class WarmDnsIssuance {

    private WarmDnsIssuance() {
    }

    /**
     * @param args directory URL, trust PEM, PowerDNS API URL, its key file, its DNS address, count, name prefix, state folder
     */
    public static void main(String[] args) throws Exception {
        URI directory = URI.create(args[0]);
        Path trust = Path.of(args[1]);
        String[] dns = args[4].split(":");
        int count = Integer.parseInt(args[5]);
        String prefix = args[6];
        List<Binding> bindings = new ArrayList<>();
        for (int i = 0; i <= count; i++) {
            bindings.add(Binding.parse("http://" + prefix + i + ".bench.test:80"));
        }
        Dns01Responder responder = Dns01Responder.using(DnsProviders.create("powerdns", Map.of("api-url", args[2],
                "api-key-file", args[3]))).resolver(new InetSocketAddress(dns[0], Integer.parseInt(dns[1]))).build();
        try (AutoCert autoCert = AutoCert.builder()
                .certificateAuthority(CertificateAuthority.at(directory).trusting(trust).named("Pebble"))
                .bindingProvider(new Offline.DiscardingHost(bindings))
                .challengeSolver(responder)
                .certificateStore(new Pkcs12CertificateStore(Path.of(args[7]), "bench".toCharArray()))
                .build()) {
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i <= count; i++) {
                long start = System.nanoTime();
                autoCert.enroll(EnrollmentRequest.builder().binding(bindings.get(i)).httpsPort(8443)
                        .challenge(ChallengeType.DNS_01).email("bench@bench.test").termsOfServiceAccepted(true).build());
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
        }
    }
}
