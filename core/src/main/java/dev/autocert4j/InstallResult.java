package dev.autocert4j;

/** What happened when a {@link BindingProvider} applied a certificate to a binding. */
public enum InstallResult {
    /** The binding serves the new certificate from the next TLS handshake on, without a restart. */
    LIVE,
    /** The certificate is in place, but the host must restart before the binding serves it. */
    RESTART_REQUIRED
}
