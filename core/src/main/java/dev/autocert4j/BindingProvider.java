package dev.autocert4j;

import java.util.List;

/**
 * The host's view of its own listeners: which bindings it serves, and how to put a certificate
 * on one. The host application implements this interface; it is the one piece that knows how its
 * HTTP server is configured.
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
}
