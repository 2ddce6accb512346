package dev.autocert4j.spring.boot;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.IssuedCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslStoreBundle;

import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The SSL bundle that carries the certificate to the embedded server: registered before the server
 * starts, with the stored certificate when one is valid and otherwise a temporary self-signed one
 * (a bundle cannot be empty), and replaced through {@link SslBundleRegistry#updateBundle} with each
 * new certificate — live on Tomcat (Spring Boot reloads it) and on Jetty (see
 * {@link JettyBundleReloader}).
 */
final class CertificateBundles implements SslBundleRegistrar {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateBundles.class);
    private static final String ALIAS = "autocert4j";

    private final String bundleName;
    private final String domain;
    private final CertificateStore store;
    private final Clock clock;
    /** The in-memory key stores' password; they never leave the process. */
    private final String password = randomPassword();

    CertificateBundles(String bundleName, String domain, CertificateStore store, Clock clock) {
        this.bundleName = bundleName;
        this.domain = domain;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void registerBundles(SslBundleRegistry registry) {
        registry.registerBundle(bundleName, bundleOf(initialCertificate()));
    }

    /**
     * @param registry  the registry the server listens to
     * @param certificate the new certificate
     */
    void update(SslBundleRegistry registry, IssuedCertificate certificate) {
        registry.updateBundle(bundleName, bundleOf(certificate));
    }

    /** @return the bundle's name */
    String bundleName() {
        return bundleName;
    }

    private IssuedCertificate initialCertificate() {
        Instant now = clock.instant();
        try {
            Optional<IssuedCertificate> stored = store.loadCertificate(domain)
                    .filter(certificate -> now.isBefore(certificate.metadata().notAfter()));
            if (stored.isPresent()) {
                return stored.get();
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the stored certificate of {}; the server starts with a temporary one: {}", domain,
                    e.getMessage());
        }
        LOG.info("No valid certificate for {} yet; the server starts with a temporary self-signed one", domain);
        return IssuedCertificate.temporary(domain);
    }

    private SslBundle bundleOf(IssuedCertificate certificate) {
        KeyStore keyStore = certificate.toKeyStore(ALIAS, password.toCharArray());
        return SslBundle.of(SslStoreBundle.of(keyStore, password, null), SslBundleKey.of(password, ALIAS));
    }

    private static String randomPassword() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
