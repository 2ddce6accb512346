package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Certificates for IP addresses (RFC 8738) from a real Pebble, validated over HTTP-01 at the
 * address itself: their subject alternative name is an iPAddress entry. Let's Encrypt's rule
 * (public addresses only) is checked before any network call.
 */
class IpAddressCertificateIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static EnrollmentRequest request(String binding) {
        return EnrollmentRequest.builder().binding(Binding.parse(binding)).httpsPort(8443)
                .email("admin@autocert4j.test").termsOfServiceAccepted(true).build();
    }

    private static List<Object> onlySubjectAlternativeName(IssuedCertificate certificate) throws Exception {
        assertThat(certificate.leaf().getSubjectAlternativeNames()).hasSize(1);
        return List.copyOf(certificate.leaf().getSubjectAlternativeNames().iterator().next());
    }

    @Test
    void anIpv4CertificateFor127001() throws Exception {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (TestChallengeServer challenges = new TestChallengeServer(
                new InetSocketAddress("127.0.0.1", PEBBLE.httpChallengePort()));
             AutoCert autoCert = Enrollments.autoCert(PEBBLE, new RecordingBindingProvider("http://127.0.0.1:8080"),
                     challenges, store).build()) {

            CertificateStatus status = autoCert.enroll(request("http://127.0.0.1:8080"));

            assertThat(status.names()).containsExactly("127.0.0.1");
            assertThat(onlySubjectAlternativeName(store.loadCertificate("127.0.0.1").orElseThrow()))
                    .as("type 7, iPAddress").containsExactly(7, "127.0.0.1");
        }
    }

    @Test
    void anIpv6CertificateForTheLoopbackAddress() throws Exception {
        assertThat(NetworkInterface.getByInetAddress(InetAddress.getByName("::1")))
                .as("this machine has the IPv6 loopback address ::1, which the test needs").isNotNull();
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (TestChallengeServer challenges = new TestChallengeServer(
                new InetSocketAddress("::1", PEBBLE.httpChallengePort()));
             AutoCert autoCert = Enrollments.autoCert(PEBBLE, new RecordingBindingProvider("http://[::1]:8080"),
                     challenges, store).build()) {

            CertificateStatus status = autoCert.enroll(request("http://[::1]:8080"));

            assertThat(status.domain()).isEqualTo("0:0:0:0:0:0:0:1");
            assertThat(onlySubjectAlternativeName(store.loadCertificate("0:0:0:0:0:0:0:1").orElseThrow()))
                    .containsExactly(7, "0:0:0:0:0:0:0:1");
        }
    }

    @Test
    void letsEncryptIsNeverAskedForAPrivateAddress() {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (AutoCert autoCert = AutoCert.builder().certificateAuthority(CertificateAuthority.letsEncryptStaging())
                .bindingProvider(new RecordingBindingProvider("http://10.0.0.5:80"))
                .challengeSolver(new dev.autocert4j.testkit.InMemoryChallengeSolver())
                .certificateStore(store).build()) {
            assertThatThrownBy(() -> autoCert.enroll(request("http://10.0.0.5:80")))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("domain '10.0.0.5' is a private, loopback or link-local address; Let's Encrypt"
                            + " certifies public IP addresses only");
            assertThat(store.loadAccount(URI.create("acme://letsencrypt.org/staging"))).as("no network call").isEmpty();
        }
    }
}
