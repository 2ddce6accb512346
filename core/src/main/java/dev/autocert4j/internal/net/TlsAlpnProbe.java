package dev.autocert4j.internal.net;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** One TLS-ALPN-01 validation handshake to one address, as a CA's validator opens it. */
public final class TlsAlpnProbe {

    private static final String ACME_IDENTIFIER = "1.3.6.1.5.5.7.1.31";

    private TlsAlpnProbe() {
    }

    /**
     * @param address          where to connect
     * @param port             the port
     * @param name             the name being validated
     * @param keyAuthorization the key authorization the validation certificate must carry
     * @param timeout          connect and handshake timeout
     * @return what is wrong, or {@code null} if the validation certificate was served
     */
    public static String problem(InetAddress address, int port, String name, String keyAuthorization, Duration timeout) {
        String at = address.getHostAddress() + " port " + port;
        int millis = (int) timeout.toMillis();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket tls = (SSLSocket) TrustAnything.sslContext().getSocketFactory()
                    .createSocket(plain, name, port, false)) {
                SSLParameters parameters = tls.getSSLParameters();
                String sni = NameSyntax.isIpAddress(name) ? NameSyntax.reverseName(name) : name;
                parameters.setServerNames(List.of(new SNIHostName(sni)));
                parameters.setApplicationProtocols(new String[]{"acme-tls/1"});
                parameters.setProtocols(new String[]{"TLSv1.3"});
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                if (!"acme-tls/1".equals(tls.getApplicationProtocol())) {
                    return at + " did not negotiate the ALPN protocol acme-tls/1: the HTTPS listener does not offer it";
                }
                Certificate[] served = tls.getSession().getPeerCertificates();
                return validationProblem((X509Certificate) served[0], keyAuthorization, at);
            }
        } catch (IOException e) {
            return at + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (is port " + port + " open, and does its listener answer acme-tls/1?)";
        }
    }

    private static String validationProblem(X509Certificate certificate, String keyAuthorization, String at) {
        byte[] extension = certificate.getExtensionValue(ACME_IDENTIFIER);
        if (extension == null) {
            return at + " served a certificate without the acmeIdentifier extension: not a TLS-ALPN-01 validation certificate";
        }
        try {
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(keyAuthorization.getBytes(StandardCharsets.US_ASCII));
            byte[] served = Arrays.copyOfRange(extension, Math.max(0, extension.length - expected.length), extension.length);
            return Arrays.equals(expected, served) ? null : at + " served the validation certificate of another challenge";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
