package dev.autocert4j.spi;

import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;

import java.util.List;
import java.util.function.Supplier;

/**
 * The host's view of its own listeners: which bindings it serves, and how to put a certificate
 * on one. The host application implements this interface; it is the one piece that knows how its
 * HTTP server is configured.
 *
 * @since 0.2.0 in this package; before, {@code dev.autocert4j.BindingProvider}
 */
public interface BindingProvider {

    /**
     * Lists the bindings the server listens on, for the admin to choose from.
     *
     * @return the bindings, never {@code null}
     */
    List<Binding> bindings();

    /**
     * Applies a certificate to an HTTPS binding, opening that binding if it does not exist yet.
     *
     * @param httpsBinding the {@code https} binding that is to serve the certificate
     * @param certificate  the certificate chain, its private key and metadata
     * @return whether the binding serves the certificate already, or only after a restart
     * @throws Exception if the certificate could not be applied; the previous one stays in use
     */
    InstallResult install(Binding httpsBinding, IssuedCertificate certificate) throws Exception;

    /**
     * Applies a stored certificate known so far by its metadata alone: how autocert4j puts the
     * certificates it finds in the store on the bindings at {@link dev.autocert4j.AutoCert#start()}. A provider
     * that can load a certificate when a handshake first needs it (as those built on
     * {@link dev.autocert4j.tls.SniKeyManager#putLazily} do) overrides this, so that a server with
     * thousands of certificates starts serving without decrypting every key first. The default
     * loads the certificate now and {@linkplain #install installs} it.
     *
     * @param httpsBinding the {@code https} binding that is to serve the certificate
     * @param metadata     the stored certificate's names, serial number and validity
     * @param loader       loads the certificate with its private key from the store; throws
     *                     {@link dev.autocert4j.CertificateStoreException} if the store no longer holds that
     *                     certificate or cannot read it (autocert4j then checks the enrollment again)
     * @return whether the binding serves the certificate already, or only after a restart
     * @throws Exception if the certificate could not be applied; the previous one stays in use
     * @since 0.2.0
     */
    default InstallResult installStored(Binding httpsBinding, CertificateMetadata metadata,
                                        Supplier<IssuedCertificate> loader) throws Exception {
        return install(httpsBinding, loader.get());
    }

    /**
     * Stops serving the certificate of an enrollment that ended with its stored certificate
     * deleted ({@link dev.autocert4j.AutoCert#unmanageAndDelete}, on this server or on another sharing the store):
     * handshakes for its names then get whatever else the binding serves. Called once per such
     * enrollment; a failure is logged and not retried. The default does nothing, so the certificate
     * stays served until the host restarts.
     *
     * @param httpsBinding the {@code https} binding that served it
     * @param names        every name the certificate was for, the enrollment's domain first
     * @throws Exception if the certificate could not be taken off
     * @since 0.2.0
     */
    default void uninstall(Binding httpsBinding, java.util.List<String> names) throws Exception {
    }
}
