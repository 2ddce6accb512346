package dev.autocert4j;

import dev.autocert4j.tls.SniKeyManager;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * A TLS key manager whose certificate can be replaced while the server runs: after
 * {@link #update(IssuedCertificate)}, the next TLS handshake gets the new certificate; open
 * connections keep theirs. Since 0.2 it chooses by SNI among everything updated into it, as
 * {@link SniKeyManager} does (before, every handshake got the last certificate, whatever name it
 * asked for); handshakes without SNI or for an unknown name get the last one updated.
 *
 * @deprecated use {@link SniKeyManager}, which this class now delegates to: {@code put} for
 *             {@code update}, {@code certificateFor} for {@code current}
 */
@Deprecated(since = "0.2.0", forRemoval = true)
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private final SniKeyManager delegate = new SniKeyManager();
    private volatile IssuedCertificate current;

    /**
     * Starts serving a certificate from the next handshake on.
     *
     * @param certificate the certificate with its private key
     */
    public synchronized void update(IssuedCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        delegate.put(certificate);
        delegate.defaultName(certificate.metadata().names().get(0));
        current = certificate;
    }

    /** @return the certificate updated last, if any */
    public Optional<IssuedCertificate> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Creates a TLS context that serves whatever this key manager holds at each handshake.
     *
     * @return a new TLS context
     */
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return delegate.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return delegate.getPrivateKey(alias);
    }

    /** Client authentication is not supported: this key manager serves server certificates only. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    /** Client authentication is not supported: this key manager serves server certificates only. */
    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
