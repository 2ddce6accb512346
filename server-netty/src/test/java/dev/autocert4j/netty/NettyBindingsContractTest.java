package dev.autocert4j.netty;

import dev.autocert4j.Binding;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.testkit.BindingProviderContract;
import dev.autocert4j.testkit.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.net.InetAddress;

/** The binding provider contract on a real Netty server; HTTPS is opened from the host's bootstrap by the first install. */
class NettyBindingsContractTest extends BindingProviderContract {

    private NettyPortal portal;
    private NettyBindings bindings;
    private int httpsPort;

    @BeforeEach
    void startNetty() throws Exception {
        int httpPort = Ports.free();
        httpsPort = Ports.free();
        portal = new NettyPortal(new Http01Responder(), httpPort, httpsPort);
        bindings = NettyBindings.builder("portal.contract.test").http(httpPort)
                .opensHttpsWith(portal.bootstrap, portal.httpInitializer).bindAddress(InetAddress.getLoopbackAddress())
                .build();
    }

    @AfterEach
    void stopNetty() {
        bindings.closeOpenedListeners();
        portal.close();
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
