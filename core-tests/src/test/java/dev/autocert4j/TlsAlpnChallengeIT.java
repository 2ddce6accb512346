package dev.autocert4j;

import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testing.JdkHttpsHost;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TlsClient;
import dev.autocert4j.tls.SniKeyManager;
import dev.autocert4j.tls.TlsAlpn01Listener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS-ALPN-01 (RFC 8737) against a real Pebble, whose TLS validation port is the HTTPS listener
 * under test: a JDK {@code HttpsServer} over the SNI key manager, and the standalone listener for a
 * host without HTTPS. Port 80 plays no part: nothing listens on Pebble's HTTP-01 port.
 */
class TlsAlpnChallengeIT {

    private static final int TLS_PORT = Ports.free();

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().tlsChallengePort(TLS_PORT);

    private static EnrollmentRequest request(String binding) {
        return EnrollmentRequest.builder().binding(Binding.parse(binding)).httpsPort(TLS_PORT)
                .email("admin@autocert4j.test").termsOfServiceAccepted(true).challenge(ChallengeType.TLS_ALPN_01).build();
    }

    @Test
    void theHostsOwnHttpsListenerAnswersTheValidationAndThenServesTheCertificate() throws Exception {
        try (JdkHttpsHost host = new JdkHttpsHost(TLS_PORT, "http://alpn.autocert4j.test:80");
             AutoCert autoCert = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority())
                     .bindingProvider(host).challengeSolver(host.keys().tlsAlpn01Responder())
                     .certificateStore(new InMemoryCertificateStore()).build()) {

            CertificateStatus status = autoCert.enroll(request("http://alpn.autocert4j.test:80"));

            assertThat(status.lastError()).isNull();
            assertThat(TlsClient.create().servedSerial(host.address(), "alpn.autocert4j.test"))
                    .as("a normal handshake gets the issued certificate").isEqualTo(status.serialNumber());
            assertThatThrownBy(() -> TlsClient.create().withApplicationProtocols(SniKeyManager.ACME_TLS_1)
                    .handshake(host.address(), "alpn.autocert4j.test"))
                    .as("acme-tls/1 without a pending challenge gets no certificate, not even the real one")
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void theStandaloneListenerAnswersForAHostWithoutHttpsAndAnIpAddressByItsReverseName() throws Exception {
        SniKeyManager keys = new SniKeyManager();
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (TlsAlpn01Listener listener = TlsAlpn01Listener.start(keys,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), TLS_PORT));
             AutoCert autoCert = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority())
                     .bindingProvider(new RecordingBindingProvider("http://standalone.autocert4j.test:80",
                             "http://127.0.0.1:80"))
                     .challengeSolver(keys.tlsAlpn01Responder())
                     .certificateStore(store).build()) {

            assertThat(autoCert.enroll(request("http://standalone.autocert4j.test:80")).lastError()).isNull();
            CertificateStatus ip = autoCert.enroll(request("http://127.0.0.1:80"));

            assertThat(ip.names()).containsExactly("127.0.0.1");
            assertThatThrownBy(() -> TlsClient.create().handshake(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    listener.port()), "standalone.autocert4j.test"))
                    .as("a client without acme-tls/1 gets no handshake").isInstanceOf(IOException.class);
        }
    }

    @Test
    void anEnrollmentForAChallengeTypeWithoutAResponderIsRefusedBeforeAnyNetworkCall() {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (AutoCert autoCert = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority())
                .bindingProvider(new RecordingBindingProvider("http://alpn.autocert4j.test:80"))
                .challengeSolver(new dev.autocert4j.testkit.InMemoryChallengeSolver())
                .certificateStore(store).build()) {
            assertThatThrownBy(() -> autoCert.enroll(request("http://alpn.autocert4j.test:80")))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("challenge 'tls-alpn-01' has no solver: give one with"
                            + " AutoCert.Builder.challengeSolver(...)");
            assertThat(store.loadAccount(PEBBLE.directoryUri())).isEmpty();
        }
    }

}
