package dev.autocert4j.netty;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.RawHttp;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Netty 4.2 server gets its certificates from a real Pebble: the challenge is answered in
 * the plain HTTP pipeline while the portal redirects everything else to HTTPS and wants a login
 * there, HTTPS opens at run time from the host's bootstrap, renewals are live, two names share a port.
 */
class NettyAutoCertIT {

    private static final int TLS_ALPN_PORT = Ports.free();

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().tlsChallengePort(TLS_ALPN_PORT);

    private NettyPortal portal;
    private NettyBindings bindings;
    private AutoCert autoCert;
    private int httpsPort;

    @BeforeEach
    void startNetty() throws Exception {
        httpsPort = NettyBindingsContractTest.freePort();
        Http01Responder challenges = new Http01Responder();
        portal = new NettyPortal(challenges, PEBBLE.httpChallengePort(), httpsPort);
        bindings = NettyBindings.builder("netty.autocert4j.test", "www.netty.autocert4j.test")
                .http(PEBBLE.httpChallengePort()).opensHttpsWith(portal.bootstrap, portal.httpInitializer)
                .bindAddress(InetAddress.getLoopbackAddress()).build();
        autoCert = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(bindings)
                .challengeResponder(challenges).certificateStore(new InMemoryCertificateStore()).build();
    }

    @AfterEach
    void stopNetty() {
        autoCert.close();
        bindings.closeOpenedListeners();
        portal.close();
    }

    private EnrollmentRequest request(String host) {
        return EnrollmentRequest.builder().binding(new Binding("http", host, PEBBLE.httpChallengePort()))
                .httpsPort(httpsPort).email("admin@autocert4j.test").termsOfServiceAccepted(true).build();
    }

    private InetSocketAddress https() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort);
    }

    private String servedSerial(String name) throws Exception {
        return TlsClient.create().servedSerial(https(), name);
    }

    @Test
    void obtainsACertificateAndOpensHttpsAtRunTimeWhileEverythingElseIsRedirectedAndLocked() throws Exception {
        assertThat(plain("GET /account HTTP/1.1\r\nHost: netty.autocert4j.test\r\n\r\n")).as("the portal's redirect")
                .startsWith("HTTP/1.1 301").contains("location: https://netty.autocert4j.test:" + httpsPort + "/account");
        assertThat(plain("GET /.well-known/acme-challenge/unknown HTTP/1.1\r\nHost: netty.autocert4j.test\r\n\r\n"))
                .as("never redirected").startsWith("HTTP/1.1 404");

        CertificateStatus status = autoCert.enroll(request("netty.autocert4j.test"));

        assertThat(status.installResult()).isEqualTo(InstallResult.LIVE);
        assertThat(status.lastError()).as("the check after install saw the certificate served").isNull();
        assertThat(bindings.bindings()).contains(new Binding("https", "netty.autocert4j.test", httpsPort));
        List<X509Certificate> chain = TlsClient.create().handshake(https(), "netty.autocert4j.test");
        PEBBLE.verifyChain(chain);
        try (SSLSocket socket = TlsClient.create().open(https(), "netty.autocert4j.test")) {
            assertThat(RawHttp.exchange(socket, "GET / HTTP/1.1\r\nHost: netty.autocert4j.test\r\n\r\n"))
                    .as("HTTPS reaches the portal's own handler").startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void aRenewalIsLiveForNewConnectionsAndAnOpenConnectionKeepsWorking() throws Exception {
        String first = autoCert.enroll(request("netty.autocert4j.test")).serialNumber();
        try (SSLSocket open = TlsClient.create().open(https(), "netty.autocert4j.test")) {
            String renewed = autoCert.renewNow("netty.autocert4j.test").serialNumber();

            assertThat(renewed).isNotEqualTo(first);
            assertThat(servedSerial("netty.autocert4j.test")).isEqualTo(renewed);
            assertThat(((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16))
                    .isEqualTo(first);
            assertThat(RawHttp.exchange(open, "GET / HTTP/1.1\r\nHost: netty.autocert4j.test\r\n\r\n")).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void twoNamesOnOneHttpsPortAreServedBySni() throws Exception {
        String apex = autoCert.enroll(request("netty.autocert4j.test")).serialNumber();
        String www = autoCert.enroll(request("www.netty.autocert4j.test")).serialNumber();

        assertThat(servedSerial("netty.autocert4j.test")).isEqualTo(apex);
        assertThat(servedSerial("www.netty.autocert4j.test")).isEqualTo(www);
    }

    @Test
    void tlsAlpn01IsAnsweredByTheNettyHttpsListenerWithoutPort80() throws Exception {
        bindings.openHttps(TLS_ALPN_PORT);
        try (AutoCert alpn = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(bindings)
                .challengeResponder(ChallengeType.TLS_ALPN_01, bindings.tlsAlpn01Responder())
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

    private static String plain(String request) throws IOException {
        return RawHttp.plain(PEBBLE.httpChallengePort(), request);
    }
}
