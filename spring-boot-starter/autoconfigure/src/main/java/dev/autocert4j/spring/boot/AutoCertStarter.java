package dev.autocert4j.spring.boot;

import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.spi.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

import java.util.List;
import java.util.Optional;

/**
 * Puts the configured enrollment under management once the embedded server listens (so the CA can
 * reach the challenge), on a thread of its own: the application's start never waits for the CA and
 * never fails because of it. The stored certificate, if valid, is installed at once; otherwise, or
 * when it is due, the renewal thread obtains one and retries on failure.
 */
final class AutoCertStarter implements ApplicationListener<WebServerInitializedEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(AutoCertStarter.class);

    private final AutoCert autoCert;
    private final AutoCertProperties properties;
    private final SpringBootBindings bindings;
    private volatile String startFailure;
    private volatile boolean started;

    AutoCertStarter(AutoCert autoCert, AutoCertProperties properties, SpringBootBindings bindings) {
        this.autoCert = autoCert;
        this.properties = properties;
        this.bindings = bindings;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null || started) {
            return; // a management server on a port of its own, or a second event
        }
        started = true;
        bindings.serverStarted(event.getWebServer().getPort());
        NamedThreads.start("autocert4j-start", this::start);
    }

    /** @return why the enrollment could not be put under management, if it could not */
    Optional<String> startFailure() {
        return Optional.ofNullable(startFailure);
    }

    /**
     * Where an account is registered with another contact than {@code autocert4j.email}, registers
     * the properties' account, which changes the contact (a call to the CA); otherwise the CA is not
     * asked here: without an account, the first order registers it. A failure is reported, and
     * stored certificates are still installed and renewed with the account as it is.
     */
    private void registerTheAccount() {
        List<String> wanted = AutoCertSettings.account(properties, Optional.empty()).emails();
        if (autoCert.account().map(account -> account.contacts().equals(wanted)).orElse(true)) {
            return;
        }
        try {
            autoCert.register(AutoCertSettings.account(properties, autoCert.termsOfService()));
        } catch (AutoCertException e) {
            startFailure = e.getMessage();
            LOG.error("autocert4j could not register the ACME account of {}: {}", wanted, e.getMessage(), e);
        }
    }

    private void start() {
        try {
            EnrollmentRequest request = AutoCertSettings.request(properties, bindings.httpsPort());
            autoCert.resume();
            registerTheAccount();
            autoCert.manage(request);
            autoCert.start();
        } catch (RuntimeException e) {
            startFailure = e.getMessage();
            LOG.error("autocert4j could not take charge of the certificate for {}: {}", properties.getDomains(),
                    e.getMessage(), e);
        }
    }
}
