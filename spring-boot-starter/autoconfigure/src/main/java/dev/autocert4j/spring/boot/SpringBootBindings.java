package dev.autocert4j.spring.boot;

import dev.autocert4j.Binding;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.spi.BindingProvider;
import org.springframework.boot.ssl.SslBundleRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * The embedded server's bindings as autocert4j sees them: each configured name on the plain HTTP
 * port (where the CA validates) and on the HTTPS port (where the certificate is served). Installing
 * replaces the SSL bundle, which the server picks up without a restart.
 */
final class SpringBootBindings implements BindingProvider {

    private final List<String> domains;
    private final int httpPort;
    private final CertificateBundles bundles;
    private final SslBundleRegistry registry;
    private volatile int httpsPort;

    SpringBootBindings(List<String> domains, int httpPort, int configuredHttpsPort, CertificateBundles bundles,
                       SslBundleRegistry registry) {
        this.domains = List.copyOf(domains);
        this.httpPort = httpPort;
        this.httpsPort = configuredHttpsPort; // 0 (any free port) until the server has started
        this.bundles = bundles;
        this.registry = registry;
    }

    /** @param port the port the server listens on, once it does (it differs from the configured one for port 0) */
    void serverStarted(int port) {
        httpsPort = port;
    }

    /** @return the HTTPS port */
    int httpsPort() {
        return httpsPort;
    }

    @Override
    public List<Binding> bindings() {
        List<Binding> bindings = new ArrayList<>();
        for (String domain : domains) {
            bindings.add(new Binding("http", domain.strip(), httpPort));
            if (httpsPort > 0) {
                bindings.add(new Binding("https", domain.strip(), httpsPort));
            }
        }
        return bindings;
    }

    @Override
    public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
        bundles.update(registry, certificate);
        return InstallResult.LIVE;
    }
}
