package dev.autocert4j.testkit;

import dev.autocert4j.Binding;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.spi.BindingProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link BindingProvider} whose installs are live must have, checked by real
 * TLS handshakes. A provider's test extends this class, runs its server, and says where:
 *
 * <pre>{@code
 * class MyServerBindingsTest extends BindingProviderContract {
 *     @Override protected BindingProvider bindingProvider() { return bindings; }
 *     @Override protected Binding httpsBinding() { return Binding.parse("https://portal.example.com:" + port); }
 * }
 * }</pre>
 *
 * The HTTPS binding may be one the server listens on already, or one the provider opens when a
 * certificate is first installed on it.
 */
public abstract class BindingProviderContract {

    private static final TestCertificateAuthority CA = new TestCertificateAuthority("Binding provider contract CA");

    /** @return the provider under test, for a server that is running */
    protected abstract BindingProvider bindingProvider();

    /** @return an HTTPS binding whose certificates the provider installs live */
    protected abstract Binding httpsBinding();

    /**
     * @param binding a binding
     * @return where to connect to reach it; by default its port on the loopback address
     */
    protected InetSocketAddress addressOf(Binding binding) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), binding.port());
    }

    private X509Certificate served(String name) throws IOException {
        return TlsClient.create().handshake(addressOf(httpsBinding()), name).get(0);
    }

    private IssuedCertificate install(String name) throws Exception {
        IssuedCertificate certificate = CA.issue(name);
        Binding binding = new Binding("https", name, httpsBinding().port());
        assertThat(bindingProvider().install(binding, certificate)).as("install on " + binding).isEqualTo(InstallResult.LIVE);
        return certificate;
    }

    @Test
    void listsEachOfItsBindingsOnce() {
        List<Binding> bindings = bindingProvider().bindings();

        assertThat(bindings).isNotEmpty().doesNotContainNull();
        assertThat(new HashSet<>(bindings)).hasSameSizeAs(bindings);
        assertThat(bindingProvider().bindings()).as("the same on every call").isEqualTo(bindings);
    }

    @Test
    void aLiveInstallIsServedToTheNextHandshake() throws Exception {
        IssuedCertificate certificate = install(httpsBinding().host());

        assertThat(served(httpsBinding().host())).isEqualTo(certificate.leaf());
    }

    @Test
    void aRenewedCertificateReachesNewConnectionsWhileOpenOnesKeepWorking() throws Exception {
        IssuedCertificate first = install(httpsBinding().host());
        try (SSLSocket open = TlsClient.create().open(addressOf(httpsBinding()), httpsBinding().host())) {
            IssuedCertificate renewed = install(httpsBinding().host());

            assertThat(served(httpsBinding().host())).isEqualTo(renewed.leaf());
            assertThat(open.getSession().getPeerCertificates()[0]).isEqualTo(first.leaf());
            open.getOutputStream().write(("HEAD / HTTP/1.1\r\nHost: " + httpsBinding().host() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            open.getOutputStream().flush();
            byte[] answer = open.getInputStream().readNBytes(9);
            assertThat(new String(answer, StandardCharsets.US_ASCII)).as("the connection opened before still answers")
                    .startsWith("HTTP/1.");
        }
    }

    @Test
    void twoNamesOnOnePortAreEachServedTheirOwnCertificate() throws Exception {
        IssuedCertificate first = install("first.contract.test");
        IssuedCertificate second = install("second.contract.test");

        assertThat(served("first.contract.test")).isEqualTo(first.leaf());
        assertThat(served("second.contract.test")).isEqualTo(second.leaf());
    }
}
