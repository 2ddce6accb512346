package dev.autocert4j;

import java.time.Instant;

/**
 * Hears what autocert4j does with a domain's certificate, for the host to show, log or alert on.
 * Every method has an empty default, so a listener overrides only what it needs. Methods are
 * called on the thread doing the work (a renewal thread, or the caller of
 * {@link AutoCert#enroll}), for different names possibly on several threads at once (see
 * {@link AutoCert.Builder#concurrentIssuance}); they must be thread-safe, return quickly and not throw.
 */
public interface AutoCertListener {

    /**
     * A certificate is about to be requested.
     *
     * @param domain the DNS name
     */
    default void obtaining(String domain) {
    }

    /**
     * A certificate was obtained and stored.
     *
     * @param certificate the new certificate
     * @param renewal     {@code true} if it replaced an earlier certificate for the domain
     */
    default void obtained(IssuedCertificate certificate, boolean renewal) {
    }

    /**
     * A certificate was applied to a binding, with its private key at hand. Not called for stored
     * certificates a binding provider loads lazily; {@link #installed(CertificateMetadata, Binding,
     * InstallResult)} is called for those and for every other install.
     *
     * @param certificate  the certificate
     * @param httpsBinding where it was applied
     * @param result       whether it is live or needs a restart
     */
    default void installed(IssuedCertificate certificate, Binding httpsBinding, InstallResult result) {
    }

    /**
     * A certificate was applied to a binding, told by its metadata: called for every install,
     * including stored certificates a binding provider {@linkplain BindingProvider#installStored
     * loads only when a handshake first needs them}, for which {@link #installed(IssuedCertificate,
     * Binding, InstallResult)} is not called. A listener that needs only names, serial number and
     * dates overrides this one.
     *
     * @param metadata     the certificate's names, serial number and validity
     * @param httpsBinding where it was applied
     * @param result       whether it is live or needs a restart
     * @since 0.2.0
     */
    default void installed(CertificateMetadata metadata, Binding httpsBinding, InstallResult result) {
    }

    /**
     * An attempt failed; the working certificate, if any, stays in place.
     *
     * @param domain      the DNS name
     * @param failure     what went wrong
     * @param nextAttempt when autocert4j tries again, or {@code null} if it was a one-off call
     */
    default void failed(String domain, AutoCertException failure, Instant nextAttempt) {
    }

    /**
     * The certificate is well into its renewal window and renewal keeps failing: someone should look.
     * (Let's Encrypt no longer sends expiry emails, so this is the host's cue to alert.)
     *
     * @param domain   the DNS name
     * @param notAfter when the certificate expires
     */
    default void expiringSoon(String domain, Instant notAfter) {
    }
}
