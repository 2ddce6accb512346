package dev.autocert4j.tomcat;

import dev.autocert4j.AutoCert;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.ServerAdapterScenarios;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * A real embedded Tomcat 11 gets its certificates from a real Pebble: the challenge is answered on
 * the plain HTTP connector while a CONFIDENTIAL constraint redirects everything else to HTTPS and
 * BASIC authentication guards it, HTTPS opens at run time, renewals are live, two names share a port.
 */
class TomcatAutoCertIT extends ServerAdapterScenarios {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    @TempDir
    Path baseDir;

    private Tomcat tomcat;
    private TomcatBindings bindings;
    private AutoCert autoCert;
    private int httpsPort;

    @BeforeEach
    void startTomcat() throws Exception {
        httpsPort = Ports.free();
        tomcat = TomcatFixture.start(baseDir, PEBBLE.httpChallengePort(), httpsPort, true);
        Http01Responder challenges = new Http01Responder();
        AcmeChallengeValve.addTo(tomcat.getEngine(), challenges);
        bindings = TomcatBindings.of(tomcat.getService(), "tomcat.autocert4j.test", "www.tomcat.autocert4j.test");
        autoCert = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(bindings)
                .challengeSolver(challenges).certificateStore(new InMemoryCertificateStore()).build();
    }

    @AfterEach
    void stopTomcat() throws Exception {
        autoCert.close();
        tomcat.stop();
        tomcat.destroy();
    }

    @Override
    protected boolean takesDeletedCertificatesOff() {
        return false; // TomcatBindings keeps a host's SSL configuration until the server restarts
    }

    @Override
    protected boolean loadsStoredCertificatesLazily() {
        return false;
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
        return "tomcat.autocert4j.test";
    }

    @Override
    protected int httpsPort() {
        return httpsPort;
    }
}
