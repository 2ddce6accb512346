package dev.autocert4j.netty;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.ServerAdapterScenarios;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Netty 4.2 server gets its certificates from a real Pebble: the challenge is answered in
 * the plain HTTP pipeline while the portal redirects everything else to HTTPS and wants a login
 * there, HTTPS opens at run time from the host's bootstrap, renewals are live, two names share a port.
 */
class NettyAutoCertIT extends ServerAdapterScenarios {

    private static final int TLS_ALPN_PORT = Ports.free();

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().tlsChallengePort(TLS_ALPN_PORT);

    private NettyPortal portal;
    private NettyBindings bindings;
    private AutoCert autoCert;
    private int httpsPort;

    @BeforeEach
    void startNetty() throws Exception {
        httpsPort = Ports.free();
        Http01Responder challenges = new Http01Responder();
        portal = new NettyPortal(challenges, PEBBLE.httpChallengePort(), httpsPort);
        bindings = NettyBindings.builder("netty.autocert4j.test", "www.netty.autocert4j.test")
                .http(PEBBLE.httpChallengePort()).opensHttpsWith(portal.bootstrap, portal.httpInitializer)
                .bindAddress(InetAddress.getLoopbackAddress()).build();
        autoCert = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(bindings)
                .challengeSolver(challenges).certificateStore(new InMemoryCertificateStore()).build();
    }

    @AfterEach
    void stopNetty() {
        autoCert.close();
        bindings.closeOpenedListeners();
        portal.close();
    }

    @Override
    protected PebbleExtension pebble() {
        return PEBBLE;
    }

    @Override
    protected BindingProvider bindings() {
        return bindings;
    }

    @Override
    protected AutoCert autoCert() {
        return autoCert;
    }

    @Override
    protected String name() {
        return "netty.autocert4j.test";
    }

    @Override
    protected int httpsPort() {
        return httpsPort;
    }

    @Test
    void tlsAlpn01IsAnsweredByTheNettyHttpsListenerWithoutPort80() throws Exception {
        bindings.openHttps(TLS_ALPN_PORT);
        try (AutoCert alpn = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(bindings)
                .challengeSolver(bindings.tlsAlpn01Responder())
                .certificateStore(new InMemoryCertificateStore()).build()) {

            CertificateStatus status = alpn.enroll(EnrollmentRequest.builder()
                    .binding(new Binding("http", "netty.autocert4j.test", PEBBLE.httpChallengePort()))
                    .httpsPort(TLS_ALPN_PORT).email("admin@autocert4j.test").termsOfServiceAccepted(true)
                    .challenge(ChallengeType.TLS_ALPN_01).build());

            assertThat(status.lastError()).isNull();
            assertThat(TlsClient.create().servedSerial(new InetSocketAddress(InetAddress.getLoopbackAddress(), TLS_ALPN_PORT),
                    "netty.autocert4j.test")).isEqualTo(status.serialNumber());
        }
    }
}
