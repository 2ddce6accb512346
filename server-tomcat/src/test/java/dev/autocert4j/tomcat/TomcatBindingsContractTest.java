package dev.autocert4j.tomcat;

import dev.autocert4j.Binding;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.testkit.BindingProviderContract;
import dev.autocert4j.testkit.Ports;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The binding provider contract on a real embedded Tomcat; the HTTPS connector is added by the first install. */
class TomcatBindingsContractTest extends BindingProviderContract {

    @TempDir
    Path baseDir;

    private Tomcat tomcat;
    private TomcatBindings bindings;
    private int httpsPort;

    @BeforeEach
    void startTomcat() throws Exception {
        httpsPort = Ports.free();
        tomcat = TomcatFixture.start(baseDir, Ports.free(), httpsPort, false);
        bindings = TomcatBindings.of(tomcat.getService(), "portal.contract.test");
    }

    @AfterEach
    void stopTomcat() throws Exception {
        tomcat.stop();
        tomcat.destroy();
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
