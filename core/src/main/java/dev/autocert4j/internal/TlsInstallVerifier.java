package dev.autocert4j.internal;

import dev.autocert4j.internal.net.TrustAnything;
import dev.autocert4j.internal.net.NameSyntax;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Opens a TLS handshake to the binding's port on this machine's loopback addresses, asking for the
 * domain by SNI, and reads the serial number of the certificate served. Certificates are not
 * validated: only the serial matters, and nothing is sent.
 */
public final class TlsInstallVerifier implements InstallVerifier {

    private final Duration timeout;

    /** @param timeout the connect and handshake timeout per address */
    public TlsInstallVerifier(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Outcome verify(Binding httpsBinding, String serverName, String expectedSerial) {
        String lastProblem = "nothing listens on port " + httpsBinding.port() + " of this machine";
        for (InetAddress loopback : List.of(InetAddress.getLoopbackAddress(), ipv6Loopback())) {
            try {
                String served = servedSerial(loopback, httpsBinding.port(), serverName);
                return served.equals(expectedSerial) ? new Outcome(Verdict.SERVED, served)
                        : new Outcome(Verdict.OTHER_CERTIFICATE, "serial " + served);
            } catch (IOException e) {
                lastProblem = "port " + httpsBinding.port() + " at " + loopback.getHostAddress() + ": " + e.getMessage();
            }
        }
        return new Outcome(Verdict.NOT_CHECKED, lastProblem);
    }

    private String servedSerial(InetAddress address, int port, String serverName) throws IOException {
        int millis = (int) timeout.toMillis();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket tls = (SSLSocket) TrustAnything.sslContext().getSocketFactory()
                    .createSocket(plain, serverName, port, false)) {
                if (NameSyntax.isDnsName(serverName)) {
                    SSLParameters parameters = tls.getSSLParameters();
                    parameters.setServerNames(List.of(new SNIHostName(serverName)));
                    tls.setSSLParameters(parameters);
                }
                tls.startHandshake();
                Certificate[] served = tls.getSession().getPeerCertificates();
                return CertificateMetadata.hexSerial(((X509Certificate) served[0]).getSerialNumber());
            }
        }
    }

    private static InetAddress ipv6Loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("::1 is a valid address", e);
        }
    }
}
