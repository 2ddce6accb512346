package dev.autocert4j.jetty;

import dev.autocert4j.Binding;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.testkit.BindingProviderContract;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;


/** The binding provider contract on a real Jetty server; the HTTPS connector is opened by the first install. */
class JettyBindingsContractTest extends BindingProviderContract {

    private Server server;
    private JettyBindings bindings;
    private int httpsPort;

    @BeforeEach
    void startJetty() throws Exception {
        server = new Server();
        ServerConnector http = new ServerConnector(server);
        http.setHost("127.0.0.1");
        server.addConnector(http);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) {
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        });
        server.start();
        bindings = JettyBindings.of(server, "portal.contract.test");
        httpsPort = dev.autocert4j.testkit.Ports.free();
    }

    @AfterEach
    void stopJetty() throws Exception {
        server.stop();
    }

    @Override
    protected BindingProvider bindingProvider() {
        return bindings;
    }

    @Override
    protected Binding httpsBinding() {
        return new Binding("https", "portal.contract.test", httpsPort);
    }
}
