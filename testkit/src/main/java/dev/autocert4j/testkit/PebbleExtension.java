package dev.autocert4j.testkit;

import dev.autocert4j.CertificateAuthority;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.time.Duration;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JUnit 5 extension that runs one real Pebble ACME server for a test class. Register it on a
 * static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();
 * }</pre>
 *
 * Pebble must be installed ({@code apt-get install -y pebble}); if it is not, the tests fail with a
 * message saying so rather than being skipped.
 */
public final class PebbleExtension implements BeforeAllCallback, AfterAllCallback {

    private PebbleServer.Settings settings;
    private PebbleServer server;

    private PebbleExtension(PebbleServer.Settings settings) {
        this.settings = settings;
    }

    /** @return an extension with {@link PebbleServer.Settings#defaults()} */
    public static PebbleExtension withDefaults() {
        return new PebbleExtension(PebbleServer.Settings.defaults());
    }

    /**
     * @param settings how to run Pebble
     * @return an extension with these settings
     */
    public static PebbleExtension with(PebbleServer.Settings settings) {
        return new PebbleExtension(settings);
    }

    /**
     * @param percent share of nonces Pebble rejects as bad ({@code PEBBLE_WFE_NONCEREJECT})
     * @return this extension
     */
    public PebbleExtension nonceRejectPercent(int percent) {
        settings = settings.withNonceRejectPercent(percent);
        return this;
    }

    /**
     * @param percent share of valid authorizations Pebble reuses for new orders ({@code PEBBLE_AUTHZREUSE})
     * @return this extension
     */
    public PebbleExtension authzReusePercent(int percent) {
        settings = settings.withAuthzReusePercent(percent);
        return this;
    }

    /**
     * Leaves Pebble's random pause of up to 15 s before each validation on, as in its default
     * (the extension otherwise turns it off with {@code PEBBLE_VA_NOSLEEP}).
     *
     * @return this extension
     */
    public PebbleExtension withValidationSleep() {
        settings = settings.withValidationNoSleep(false);
        return this;
    }

    /**
     * @param count how many alternate certificate chains Pebble offers ({@code PEBBLE_ALTERNATE_ROOTS})
     * @return this extension
     */
    public PebbleExtension alternateRoots(int count) {
        settings = settings.withAlternateRoots(count);
        return this;
    }

    /**
     * @param keys key id to base64url HMAC key, required from every new account
     * @return this extension
     */
    public PebbleExtension requireExternalAccountBinding(Map<String, String> keys) {
        settings = settings.withEabKeys(keys);
        return this;
    }

    /**
     * @param validity how long the certificates Pebble issues are valid (short-lived ones renew within seconds)
     * @return this extension
     * @since 0.2.0
     */
    public PebbleExtension certificateValidity(Duration validity) {
        settings = settings.withCertificateValidity(validity);
        return this;
    }

    /**
     * @param port the port Pebble validates HTTP-01 on (a load balancer in front of several servers, say)
     * @return this extension
     * @since 0.2.0
     */
    public PebbleExtension httpChallengePort(int port) {
        settings = settings.withHttpChallengePort(port);
        return this;
    }

    /**
     * @param port the port Pebble validates TLS-ALPN-01 on (the HTTPS listener under test)
     * @return this extension
     * @since 0.2.0
     */
    public PebbleExtension tlsChallengePort(int port) {
        settings = settings.withTlsChallengePort(port);
        return this;
    }

    /**
     * @return the port Pebble opens TLS-ALPN-01 validation handshakes to
     * @since 0.2.0
     */
    public int tlsChallengePort() {
        return server().tlsChallengePort();
    }

    /**
     * @param server the DNS server Pebble asks instead of its test one (a {@link BindServer}, for DNS-01)
     * @return this extension
     * @since 0.2.0
     */
    public PebbleExtension dnsServer(java.net.InetSocketAddress server) {
        settings = settings.withDnsServer(server);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = new PebbleServer(settings).start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** @return the running server */
    public PebbleServer server() {
        if (server == null) {
            throw new IllegalStateException("Pebble is not running: register the extension on a static field");
        }
        return server;
    }

    /** @return the ACME directory URL */
    public URI directoryUri() {
        return server().directoryUri();
    }

    /**
     * Returns Pebble as a certificate authority for {@code AutoCert.builder().certificateAuthority(..)}:
     * its directory, trusting only Pebble's generated TLS certificate, named "Pebble" in messages.
     *
     * @return the running Pebble as a CA
     */
    public CertificateAuthority certificateAuthority() {
        return CertificateAuthority.at(directoryUri()).trusting(trustFile()).named("Pebble");
    }

    /** @return the port Pebble validates HTTP-01 challenges on */
    public int httpChallengePort() {
        return server().httpChallengePort();
    }

    /** @return a PEM file with the certificate to trust for Pebble's TLS */
    public Path trustFile() {
        return server().trustFile();
    }

    /** @return an HTTP client that trusts Pebble */
    public HttpClient httpClient() {
        return server().httpClient();
    }

    /** @return Pebble's current root certificate */
    public X509Certificate rootCertificate() {
        return server().rootCertificate();
    }

    /**
     * Checks that a chain, as a server presented it, leads to Pebble's current root (revocation
     * not checked).
     *
     * @param chain the chain, end-entity certificate first
     * @throws GeneralSecurityException if it does not
     * @since 0.2.0
     */
    public void verifyChain(List<X509Certificate> chain) throws GeneralSecurityException {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(rootCertificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
    }

    /**
     * @param index 0 for the default chain's root, 1 and up for the alternate chains'
     * @return that root certificate
     */
    public X509Certificate rootCertificate(int index) {
        return server().rootCertificate(index);
    }
}
