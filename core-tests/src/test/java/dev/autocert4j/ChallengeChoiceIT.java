package dev.autocert4j;

import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.testing.JdkHttpsHost;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The automatic choice of a challenge type, each tried the way the CA would (a real HTTP server, a
 * real HTTPS listener answering acme-tls/1), and the chosen one then used against a real Pebble.
 * The self-check's resolver sends every name to this machine, as Pebble's DNS does.
 */
class ChallengeChoiceIT {

    private static final int TLS_PORT = Ports.free();

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().tlsChallengePort(TLS_PORT);

    private static final String NAME = "choice.autocert4j.test";

    private static ChallengeSelfCheck selfCheck() {
        return ChallengeSelfCheck.standard().withPort(PEBBLE.httpChallengePort()).withTlsPort(TLS_PORT)
                .withResolver(host -> List.of(InetAddress.getLoopbackAddress()));
    }

    private static AutoCert.Builder autoCert(BindingProvider host, ChallengeSolver http, ChallengeSolver tlsAlpn) {
        return AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(host)
                .challengeSolver(http).challengeSolver(tlsAlpn)
                .certificateStore(new InMemoryCertificateStore()).selfCheck(selfCheck());
    }

    @Test
    void port80AnsweringMeansHttp01() throws Exception {
        try (TestChallengeServer http = new TestChallengeServer(PEBBLE.httpChallengePort());
             JdkHttpsHost https = new JdkHttpsHost(TLS_PORT, "http://" + NAME + ":80");
             AutoCert autoCert = autoCert(https, http, https.keys().tlsAlpn01Responder()).build()) {

            assertThat(autoCert.chooseChallenge(List.of(NAME))).isEqualTo(ChallengeType.HTTP_01);
            assertThat(http.publishedCount()).as("the test token was withdrawn").isZero();
        }
    }

    @Test
    void port80ClosedAndHttpsAnsweringAcmeTls1MeansTlsAlpn01WhichThenGetsTheCertificate() throws Exception {
        try (TestChallengeServer deaf = new TestChallengeServer(PEBBLE.httpChallengePort());
             JdkHttpsHost https = new JdkHttpsHost(TLS_PORT, "http://" + NAME + ":80");
             AutoCert autoCert = autoCert(https, deaf, https.keys().tlsAlpn01Responder()).build()) {
            deaf.answering(false);

            ChallengeType chosen = autoCert.chooseChallenge(List.of(NAME));
            CertificateStatus status = autoCert.enroll(EnrollmentRequest.builder().binding(Binding.parse("http://" + NAME
                    + ":80")).httpsPort(TLS_PORT).email("admin@autocert4j.test").termsOfServiceAccepted(true)
                    .challenge(chosen).build());

            assertThat(chosen).isEqualTo(ChallengeType.TLS_ALPN_01);
            assertThat(status.lastError()).isNull();
        }
    }

    @Test
    void whenNothingWorksOneMessageSaysWhatWasTriedAndWhyEachFailed() throws Exception {
        try (TestChallengeServer deaf = new TestChallengeServer(PEBBLE.httpChallengePort());
             AutoCert autoCert = autoCert(new RecordingBindingProvider("http://" + NAME + ":80"), deaf,
                     new dev.autocert4j.tls.SniKeyManager().tlsAlpn01Responder()).build()) {
            deaf.answering(false);

            assertThatThrownBy(() -> autoCert.chooseChallenge(List.of(NAME))).isInstanceOf(AutoCertException.class)
                    .hasMessageStartingWith("No challenge type works for [" + NAME + "] here.")
                    .hasMessageContaining("http-01: Self-check of http://" + NAME + ":" + PEBBLE.httpChallengePort()
                            + "/.well-known/acme-challenge/preflight-")
                    .hasMessageContaining("404")
                    .hasMessageContaining("tls-alpn-01: Self-check of https://" + NAME + ":" + TLS_PORT + "/ failed")
                    .hasMessageEndingWith("dns-01: no DNS provider is configured.");
        }
    }

    @Test
    void wildcardsGoToDns01AndIpAddressesNever() {
        InMemoryChallengeSolver dns = new InMemoryChallengeSolver(ChallengeType.DNS_01);
        try (AutoCert autoCert = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority())
                .bindingProvider(new RecordingBindingProvider("http://example.test:80"))
                .challengeSolver(dns).certificateStore(new InMemoryCertificateStore())
                .selfCheck(selfCheck()).build()) {

            assertThat(autoCert.chooseChallenge(List.of("example.test", "*.example.test"))).isEqualTo(ChallengeType.DNS_01);
            assertThatThrownBy(() -> autoCert.chooseChallenge(List.of("192.0.2.7")))
                    .hasMessageContaining("http-01: no solver is configured.")
                    .hasMessageContaining("dns-01: domain '192.0.2.7' is an IP address; the CA validates IP addresses"
                            + " over HTTP-01 or TLS-ALPN-01, never DNS-01.");
        }
    }
}
