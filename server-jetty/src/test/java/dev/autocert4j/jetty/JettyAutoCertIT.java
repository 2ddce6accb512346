package dev.autocert4j.jetty;

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

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/**
 * A real Jetty 12 server gets its certificates from a real Pebble: the challenge is answered on
 * the plain HTTP connector while the host redirects everything else to HTTPS and wants
 * authentication, HTTPS opens at run time, renewals are live, and two names share one port.
 */
class JettyAutoCertIT extends ServerAdapterScenarios {

    private static final int TLS_ALPN_PORT = Ports.free();

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().tlsChallengePort(TLS_ALPN_PORT);

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
        httpsPort = Ports.free();
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
                .challengeSolver(challenges).certificateStore(new InMemoryCertificateStore()).build();
    }

    @AfterEach
    void stopJetty() throws Exception {
        autoCert.close();
        server.stop();
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
        return "jetty.autocert4j.test";
    }

    @Override
    protected int httpsPort() {
        return httpsPort;
    }

    @Test
    void tlsAlpn01IsAnsweredByTheJettyHttpsConnectorWithoutPort80AndBrowsersStillGetHttp11There() throws Exception {
        bindings.openHttps(TLS_ALPN_PORT);
        InetSocketAddress https = new InetSocketAddress(InetAddress.getLoopbackAddress(), TLS_ALPN_PORT);
        try (AutoCert alpn = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(bindings)
                .challengeSolver(bindings.tlsAlpn01Responder())
                .certificateStore(new InMemoryCertificateStore()).build()) {

            CertificateStatus status = alpn.enroll(EnrollmentRequest.builder()
                    .binding(new Binding("http", "jetty.autocert4j.test", PEBBLE.httpChallengePort()))
                    .httpsPort(TLS_ALPN_PORT).email("admin@autocert4j.test").termsOfServiceAccepted(true)
                    .challenge(ChallengeType.TLS_ALPN_01).build());

            assertThat(status.lastError()).isNull();
            assertThat(TlsClient.create().servedSerial(https, "jetty.autocert4j.test")).isEqualTo(status.serialNumber());
        }
        try (SSLSocket browser = TlsClient.create().withApplicationProtocols("h2", "http/1.1").open(https, "jetty.autocert4j.test")) {
            assertThat(browser.getApplicationProtocol()).isEqualTo("http/1.1");
            browser.getOutputStream().write("GET / HTTP/1.1\r\nHost: jetty.autocert4j.test\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(browser.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).as("the host's own handler answers").startsWith("HTTP/1.1 401");
        }
    }
}
