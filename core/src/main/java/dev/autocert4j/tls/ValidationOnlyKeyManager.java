package dev.autocert4j.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A key manager that answers TLS-ALPN-01 validation handshakes only, with a {@link SniKeyManager}'s
 * pending validation certificates: any other handshake gets no certificate.
 */
final class ValidationOnlyKeyManager extends X509ExtendedKeyManager {

    private final SniKeyManager keys;

    ValidationOnlyKeyManager(SniKeyManager keys) {
        this.keys = keys;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return socket instanceof SSLSocket tls && SniKeyManager.isValidation(tls::getHandshakeApplicationProtocol)
                ? keys.chooseValidation(keyType, SniKeyManager.requestedName(tls.getHandshakeSession())) : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return engine != null && SniKeyManager.isValidation(engine::getHandshakeApplicationProtocol)
                ? keys.chooseValidation(keyType, SniKeyManager.requestedName(engine.getHandshakeSession())) : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return keys.getPrivateKey(alias);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
