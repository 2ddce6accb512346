package dev.autocert4j.dns;

import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.BindExtension;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DNS-01 end to end: a real BIND 9 holds the zone {@code example.test} and takes signed dynamic
 * updates; a real Pebble asks it for the TXT records. One certificate for the zone's apex and its
 * wildcard, nothing listening on any HTTP or TLS port.
 */
class DnsChallengeIT {

    @RegisterExtension
    static final BindExtension BIND = new BindExtension("example.test");
    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().dnsServer(BIND.address());

    @TempDir
    Path folder;

    private static EnrollmentRequest apexAndWildcard() {
        return EnrollmentRequest.builder().binding(new Binding("http", "example.test", 80)).httpsPort(443)
                .extraNames("*.example.test").challenge(ChallengeType.DNS_01)
                .email("admin@autocert4j.test").termsOfServiceAccepted(true).build();
    }

    private AutoCert autoCert(TsigKey key, InMemoryCertificateStore store) {
        Dns01Responder dns = Dns01Responder.using(new Rfc2136Provider(BIND.address(), key))
                .propagationTimeout(Duration.ofSeconds(10)).build();
        return AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority())
                .bindingProvider(new RecordingBindingProvider("http://example.test:80"))
                .challengeSolver(dns).certificateStore(store).build();
    }

    @Test
    void oneCertificateForTheApexAndTheWildcardAndTheRecordsAreRemovedAfterwards() throws Exception {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        TsigKey key = TsigKey.readBindKeyFile(BIND.server().writeKeyFile(folder.resolve("update.key")));
        try (AutoCert autoCert = autoCert(key, store)) {

            CertificateStatus status = autoCert.enroll(apexAndWildcard());

            assertThat(status.lastError()).isNull();
            IssuedCertificate certificate = store.loadCertificate("example.test").orElseThrow();
            assertThat(CertificateMetadata.subjectAlternativeNames(certificate.leaf()))
                    .containsExactlyInAnyOrder("example.test", "*.example.test");
            assertThat(status.names()).containsExactlyInAnyOrder("example.test", "*.example.test");
            assertThat(DnsLookups.txtValues("_acme-challenge.example.test", BIND.address()))
                    .as("both validation records removed from BIND").isEmpty();
        }
    }

    @Test
    void aWrongTsigKeyFailsWithAClearErrorAndNothingIsStored() {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        TsigKey wrong = new TsigKey(dev.autocert4j.testkit.BindServer.KEY_NAME, "hmac-sha256",
                Base64.getEncoder().encodeToString(new byte[32]));
        try (AutoCert autoCert = autoCert(wrong, store)) {
            assertThatThrownBy(() -> autoCert.enroll(apexAndWildcard())).isInstanceOf(AutoCertException.class)
                    .hasMessageContaining("refused adding the TXT record _acme-challenge.example.test")
                    .hasMessageContaining("the TSIG key is wrong");
            assertThat(store.loadCertificate("example.test")).isEmpty();
        }
    }
}
