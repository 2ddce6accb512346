package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** Tells the listeners what happened, in order; a listener that throws is logged and the others still hear it. */
final class EventDispatch {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatch.class);

    private final List<AutoCertListener> listeners;

    EventDispatch(List<AutoCertListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    void obtaining(String domain) {
        tell(listener -> listener.obtaining(domain));
    }

    void obtained(IssuedCertificate certificate, boolean renewal) {
        tell(listener -> listener.obtained(certificate, renewal));
    }

    /**
     * A certificate was installed: listeners hear the overload with the key where it was loaded
     * ({@code loaded} is not {@code null}), then the one with the metadata.
     */
    void installed(CertificateMetadata metadata, IssuedCertificate loaded, Binding httpsBinding, InstallResult result) {
        if (loaded != null) {
            tell(listener -> listener.installed(loaded, httpsBinding, result));
        }
        tell(listener -> listener.installed(metadata, httpsBinding, result));
    }

    void failed(String domain, AutoCertException failure, Instant nextAttempt) {
        tell(listener -> listener.failed(domain, failure, nextAttempt));
    }

    void expiringSoon(String domain, Instant notAfter) {
        tell(listener -> listener.expiringSoon(domain, notAfter));
    }

    private void tell(Consumer<AutoCertListener> event) {
        for (AutoCertListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} threw; ignored", listener.getClass().getName(), e);
            }
        }
    }
}
