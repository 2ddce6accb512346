package dev.autocert4j.dns.providers;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.ChallengeSolverFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.testkit.BindExtension;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code exec} provider end to end: Pebble validates DNS-01 against a real BIND, which a lego-style
 * {@code nsupdate} script updates, chosen by name through the {@code dns-01} solver.
 */
class ExecChallengeIT {

    @RegisterExtension
    static final BindExtension BIND = new BindExtension("example.test");
    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().dnsServer(BIND.address());

    @TempDir
    Path folder;

    @Test
    void theApexAndItsWildcardInOneCertificateThroughAnNsupdateScript() throws Exception {
        Path key = BIND.server().writeKeyFile(folder.resolve("update.key"));
        Path script = NsupdateHook.write(folder, "hook", BIND.server(), key);
        String bind = "127.0.0.1:" + BIND.address().getPort();
        ChallengeSolver solver = NamedPlugins.create(ChallengeSolverFactory.class, "dns-01", Map.of("provider", "exec",
                "program", script.toString(), "resolver", bind, "authoritative-port",
                String.valueOf(BIND.address().getPort()), "propagation-timeout", "20"), getClass().getClassLoader());
        InMemoryCertificateStore store = new InMemoryCertificateStore();

        try (AutoCert autoCert = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority())
                .bindingProvider(new RecordingBindingProvider("http://example.test:80"))
                .challengeSolver(solver).certificateStore(store).build()) {
            CertificateStatus status = autoCert.enroll(EnrollmentRequest.builder()
                    .binding(new Binding("http", "example.test", 80)).httpsPort(443).extraNames("*.example.test")
                    .challenge(ChallengeType.DNS_01).email("admin@autocert4j.test").termsOfServiceAccepted(true).build());

            assertThat(status.lastError()).isNull();
            assertThat(CertificateMetadata.subjectAlternativeNames(store.loadCertificate("example.test").orElseThrow()
                    .leaf())).containsExactlyInAnyOrder("example.test", "*.example.test");
        }
        Lookup lookup = new Lookup("_acme-challenge.example.test.", Type.TXT);
        SimpleResolver resolver = new SimpleResolver(BIND.address());
        resolver.setTCP(true);
        lookup.setResolver(resolver);
        lookup.setCache(null);
        assertThat(lookup.run()).as("both values removed by the script's cleanup").isNull();
        assertThat(lookup.getResult()).isIn(Lookup.HOST_NOT_FOUND, Lookup.TYPE_NOT_FOUND);
    }
}
