package dev.autocert4j.jetty;

import dev.autocert4j.AutoCert;
import dev.autocert4j.BindingProvider;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.ServerAdapterScenarios;
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
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A real Jetty 12 server gets its certificates from a real Pebble: the challenge is answered on
 * the plain HTTP connector while the host redirects everything else to HTTPS and wants
 * authentication, HTTPS opens at run time, renewals are live, and two names share one port.
 */
class JettyAutoCertIT extends ServerAdapterScenarios {

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
}
