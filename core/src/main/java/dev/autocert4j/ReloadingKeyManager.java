package dev.autocert4j;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * A TLS key manager whose certificate can be replaced while the server runs: after
 * {@link #update(IssuedCertificate)}, the next TLS handshake gets the new certificate; open
 * connections keep theirs. Use {@link #sslContext()} with any server that takes an
 * {@link SSLContext}, such as the JDK's {@code HttpsServer}.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS_PREFIX = "autocert4j-";

    /** The current and the previous certificate, so a handshake that began before a swap can finish. */
    private record Served(IssuedCertificate current, IssuedCertificate previous) {
    }

    private volatile Served served = new Served(null, null);

    /**
     * Starts serving a certificate from the next handshake on.
     *
     * @param certificate the certificate with its private key
     */
    public synchronized void update(IssuedCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        served = new Served(certificate, served.current());
    }

    /** @return the certificate served now, if any */
    public Optional<IssuedCertificate> current() {
        return Optional.ofNullable(served.current());
    }

    /**
     * Creates a TLS context that serves whatever this key manager holds at each handshake.
     *
     * @return a new TLS context
     */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[]{this}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot create a TLS context", e);
        }
    }

    private static String aliasOf(IssuedCertificate certificate) {
        return ALIAS_PREFIX + certificate.metadata().serialNumber();
    }

    private String aliasFor(String keyType) {
        IssuedCertificate current = served.current();
        if (current == null || keyType == null) {
            return null;
        }
        String algorithm = current.privateKey().getAlgorithm();
        boolean matches = keyType.equals(algorithm) || (keyType.equals("RSASSA-PSS") && algorithm.equals("RSA"));
        return matches ? aliasOf(current) : null;
    }

    private IssuedCertificate byAlias(String alias) {
        Served now = served;
        for (IssuedCertificate candidate : new IssuedCertificate[]{now.current(), now.previous()}) {
            if (candidate != null && aliasOf(candidate).equals(alias)) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[]{alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        IssuedCertificate certificate = byAlias(alias);
        return certificate == null ? null : certificate.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        IssuedCertificate certificate = byAlias(alias);
        return certificate == null ? null : certificate.privateKey();
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
