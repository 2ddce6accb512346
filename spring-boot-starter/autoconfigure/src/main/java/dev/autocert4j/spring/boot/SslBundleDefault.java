package dev.autocert4j.spring.boot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Makes the embedded server serve the autocert4j SSL bundle, as if {@code server.ssl.bundle} named
 * it, unless the application configured TLS itself: its own {@code server.ssl.bundle}, key store or
 * certificate wins, and {@code server.ssl.enabled=false} is respected. Runs after Spring Boot has
 * applied the {@code server.*} properties.
 */
final class SslBundleDefault implements WebServerFactoryCustomizer<AbstractConfigurableWebServerFactory>, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(SslBundleDefault.class);

    private final String bundle;

    SslBundleDefault(String bundle) {
        this.bundle = bundle;
    }

    @Override
    public void customize(AbstractConfigurableWebServerFactory factory) {
        Ssl ssl = factory.getSsl();
        if (ssl == null) {
            factory.setSsl(Ssl.forBundle(bundle));
        } else if (!ssl.isEnabled()) {
            LOG.warn("server.ssl.enabled=false: autocert4j obtains and renews the certificate, but the server does"
                    + " not serve it");
        } else if (ssl.getBundle() == null && ssl.getKeyStore() == null && ssl.getCertificate() == null) {
            ssl.setBundle(bundle);
        } else if (!bundle.equals(ssl.getBundle())) {
            LOG.warn("The server's TLS is configured by server.ssl.*: autocert4j obtains and renews the certificate"
                    + " in the SSL bundle '{}', which the server does not serve", bundle);
        }
    }

    /** @return whether a factory customized by this object serves the bundle */
    boolean servesBundle(AbstractConfigurableWebServerFactory factory) {
        Ssl ssl = factory.getSsl();
        return Ssl.isEnabled(ssl) && bundle.equals(ssl.getBundle());
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after Spring Boot's own customizer, which copies server.ssl.*
    }
}
