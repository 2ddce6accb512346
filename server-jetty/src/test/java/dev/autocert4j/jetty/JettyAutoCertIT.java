package dev.autocert4j.jetty;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RawHttp;
import dev.autocert4j.testkit.TlsClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.SecuredRedirectHandler;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Jetty 12 server gets its certificates from a real Pebble: the challenge is answered on
 * the plain HTTP connector while the host redirects everything else to HTTPS and wants
 * authentication, HTTPS opens at run time, renewals are live, and two names share one port.
 */
class JettyAutoCertIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private Server server;
    private JettyBindings bindings;
    private AutoCert autoCert;
    private int httpsPort;

    /** The host's own handler: everything needs a login. */
    private static final class LoginRequired extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (request.getHeaders().get(HttpHeader.AUTHORIZATION) == null) {
                response.setStatus(401);
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"portal\"");
            } else {
                response.setStatus(200);
            }
            callback.succeeded();
            return true;
        }
    }

    @BeforeEach
    void startJetty() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            httpsPort = socket.getLocalPort();
        }
        server = new Server();
        HttpConfiguration configuration = new HttpConfiguration();
        configuration.setSecurePort(httpsPort);
        ServerConnector http = new ServerConnector(server, new HttpConnectionFactory(configuration));
        http.setHost("127.0.0.1");
        http.setPort(PEBBLE.httpChallengePort());
        server.addConnector(http);
        // the host redirects every plain HTTP request to HTTPS and wants a login behind that
        server.setHandler(new SecuredRedirectHandler(new LoginRequired()));

        Http01Responder challenges = new Http01Responder();
        AcmeChallengeHandler.insertFirst(server, challenges);
        bindings = JettyBindings.of(server, "jetty.autocert4j.test", "www.jetty.autocert4j.test");
        server.start();

        autoCert = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(bindings)
                .challengeResponder(challenges).certificateStore(new InMemoryCertificateStore()).build();
    }

    @AfterEach
    void stopJetty() throws Exception {
        autoCert.close();
        server.stop();
    }

    private EnrollmentRequest request(String host) {
        return EnrollmentRequest.builder().binding(new Binding("http", host, PEBBLE.httpChallengePort()))
                .httpsPort(httpsPort).email("admin@autocert4j.test").termsOfServiceAccepted(true).build();
    }

    private X509Certificate served(String name) throws Exception {
        return TlsClient.create().handshake(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort), name).get(0);
    }

    @Test
    void obtainsACertificateAndOpensHttpsAtRunTimeWhileEverythingElseIsRedirectedAndLocked() throws Exception {
        assertThat(plain("GET /account HTTP/1.1\r\nHost: jetty.autocert4j.test\r\n\r\n")).as("the host's redirect")
                .startsWith("HTTP/1.1 302").contains("Location: https://jetty.autocert4j.test:" + httpsPort + "/account");
        assertThat(plain("GET /.well-known/acme-challenge/unknown HTTP/1.1\r\nHost: jetty.autocert4j.test\r\n\r\n"))
                .as("never redirected").startsWith("HTTP/1.1 404");

        CertificateStatus status = autoCert.enroll(request("jetty.autocert4j.test"));

        assertThat(status.installResult()).isEqualTo(InstallResult.LIVE);
        assertThat(status.lastError()).as("the check after install saw the certificate served").isNull();
        assertThat(bindings.bindings()).contains(new Binding("https", "jetty.autocert4j.test", httpsPort),
                new Binding("http", "www.jetty.autocert4j.test", PEBBLE.httpChallengePort()));
        List<X509Certificate> chain = TlsClient.create()
                .handshake(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort), "jetty.autocert4j.test");
        PEBBLE.verifyChain(chain);
        assertThat(chain.get(0).getSerialNumber().toString(16)).isEqualTo(status.serialNumber());
        try (SSLSocket https = TlsClient.create().open(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort),
                "jetty.autocert4j.test")) {
            assertThat(RawHttp.exchange(https, "GET /account HTTP/1.1\r\nHost: jetty.autocert4j.test\r\nConnection: close\r\n\r\n"))
                    .as("HTTPS reaches the host's own handler").startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void aRenewalIsLiveForNewConnectionsAndAnOpenConnectionKeepsWorking() throws Exception {
        String first = autoCert.enroll(request("jetty.autocert4j.test")).serialNumber();
        try (SSLSocket open = TlsClient.create().open(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort),
                "jetty.autocert4j.test")) {
            String renewed = autoCert.renewNow("jetty.autocert4j.test").serialNumber();

            assertThat(renewed).isNotEqualTo(first);
            assertThat(served("jetty.autocert4j.test").getSerialNumber().toString(16)).isEqualTo(renewed);
            assertThat(((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16))
                    .isEqualTo(first);
            assertThat(RawHttp.exchange(open, "GET / HTTP/1.1\r\nHost: jetty.autocert4j.test\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void twoNamesOnOneHttpsPortAreServedBySni() throws Exception {
        String apex = autoCert.enroll(request("jetty.autocert4j.test")).serialNumber();
        String www = autoCert.enroll(request("www.jetty.autocert4j.test")).serialNumber();

        assertThat(served("jetty.autocert4j.test").getSerialNumber().toString(16)).isEqualTo(apex);
        assertThat(served("www.jetty.autocert4j.test").getSerialNumber().toString(16)).isEqualTo(www);
    }

    private static String plain(String request) throws IOException {
        return RawHttp.plain(PEBBLE.httpChallengePort(), request);
    }
}
