package dev.autocert4j.testkit;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.BindingProvider;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a server adapter must do against a real Pebble, for an adapter's integration test to
 * extend: obtain a certificate while the host redirects plain HTTP to HTTPS and wants a login
 * there (the challenge never redirected), open HTTPS at run time, make a renewal live for new
 * handshakes while an open connection keeps working, serve two names on one port by SNI, and
 * serve a stored certificate put on by its metadata, loading its key at the first handshake that
 * needs it. The
 * test starts its server before each test, listening for plain HTTP on Pebble's HTTP-01 port,
 * redirecting {@code /account} there to {@code https://<name>:<httpsPort>/account} and answering 401
 * on HTTPS; {@code www.<name>} is its second name.
 *
 * @since 0.2.0
 */
public abstract class ServerAdapterScenarios {

    /** @return the class's Pebble */
    protected abstract PebbleExtension pebble();

    /** @return the server's bindings */
    protected abstract BindingProvider bindings();

    /** @return an {@code AutoCert} over the server's bindings and challenge answering (closed by the test) */
    protected abstract AutoCert autoCert();

    /** @return the server's first public name, such as {@code tomcat.autocert4j.test} */
    protected abstract String name();

    /** @return the port HTTPS opens on */
    protected abstract int httpsPort();

    /**
     * @return whether the adapter serves a stored certificate from its metadata and loads the key at
     *         the first handshake for its name; an adapter that cannot (Tomcat keeps a key store per
     *         host) loads it when installed
     */
    protected boolean loadsStoredCertificatesLazily() {
        return true;
    }

    /**
     * @return whether the adapter takes a deleted certificate off ({@code BindingProvider.uninstall});
     *         one that cannot serves it until the server restarts
     */
    protected boolean takesDeletedCertificatesOff() {
        return true;
    }

    private EnrollmentRequest request(String host) {
        return EnrollmentRequest.builder().binding(new Binding("http", host, pebble().httpChallengePort()))
                .httpsPort(httpsPort()).email("admin@autocert4j.test").termsOfServiceAccepted(true).build();
    }

    private InetSocketAddress https() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort());
    }

    private String servedSerial(String serverName) throws IOException {
        return TlsClient.create().servedSerial(https(), serverName);
    }

    private String plain(String request) throws IOException {
        return RawHttp.plain(pebble().httpChallengePort(), request);
    }

    private String getOverHttps(SSLSocket socket) throws IOException {
        return RawHttp.exchange(socket, "GET /account HTTP/1.1\r\nHost: " + name() + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void obtainsACertificateAndOpensHttpsAtRunTimeWhileEverythingElseIsRedirectedAndLocked() throws Exception {
        assertThat(plain("GET /account HTTP/1.1\r\nHost: " + name() + "\r\n\r\n")).as("the host's redirect")
                .matches("(?is)HTTP/1\\.1 30[12] .*\r\nlocation: https://" + name().replace(".", "\\.") + ":" + httpsPort()
                        + "/account\r\n.*");
        assertThat(plain("GET /.well-known/acme-challenge/unknown HTTP/1.1\r\nHost: " + name() + "\r\n\r\n"))
                .as("never redirected").startsWith("HTTP/1.1 404");

        CertificateStatus status = autoCert().enroll(request(name()));

        assertThat(status.installResult()).isEqualTo(InstallResult.LIVE);
        assertThat(status.lastError()).as("the check after install saw the certificate served").isNull();
        assertThat(bindings().bindings()).contains(new Binding("https", name(), httpsPort()));
        List<X509Certificate> chain = TlsClient.create().handshake(https(), name());
        pebble().verifyChain(chain);
        assertThat(chain.get(0).getSerialNumber().toString(16)).isEqualTo(status.serialNumber());
        try (SSLSocket socket = TlsClient.create().open(https(), name())) {
            assertThat(getOverHttps(socket)).as("HTTPS reaches the host's own login").startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void aRenewalIsLiveForNewConnectionsAndAnOpenConnectionKeepsWorking() throws Exception {
        String first = autoCert().enroll(request(name())).serialNumber();
        try (SSLSocket open = TlsClient.create().open(https(), name())) {
            String renewed = autoCert().renewNow(name()).serialNumber();

            assertThat(renewed).isNotEqualTo(first);
            assertThat(servedSerial(name())).isEqualTo(renewed);
            assertThat(((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16))
                    .isEqualTo(first);
            assertThat(getOverHttps(open)).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void twoNamesOnOneHttpsPortAreServedBySni() throws Exception {
        String apex = autoCert().enroll(request(name())).serialNumber();
        String www = autoCert().enroll(request("www." + name())).serialNumber();

        assertThat(servedSerial(name())).isEqualTo(apex);
        assertThat(servedSerial("www." + name())).isEqualTo(www);
        assertThat(servedSerial(null)).as("no SNI: the first name's").isEqualTo(apex);
    }

    @Test
    void aCertificateDeletedWithItsEnrollmentIsTakenOffWhereTheAdapterCanAndTheOtherNameStaysServed() throws Exception {
        String apex = autoCert().enroll(request(name())).serialNumber();
        String www = autoCert().enroll(request("www." + name())).serialNumber();

        autoCert().unmanageAndDelete("www." + name());

        if (takesDeletedCertificatesOff()) {
            assertThat(servedSerial("www." + name())).as("no longer the deleted certificate").isNotEqualTo(www);
        } else {
            assertThat(servedSerial("www." + name())).as("served until the server restarts").isEqualTo(www);
        }
        assertThat(servedSerial(name())).isEqualTo(apex);
    }

    @Test
    void aStoredCertificateInstalledByItsMetadataIsServed() throws Exception {
        IssuedCertificate stored = new TestCertificateAuthority("Stored certificates").issue("www." + name());
        AtomicInteger loads = new AtomicInteger();

        InstallResult result = bindings().installStored(new Binding("https", name(), httpsPort()), stored.metadata(),
                () -> {
                    loads.incrementAndGet();
                    return stored;
                });

        assertThat(result).isEqualTo(InstallResult.LIVE);
        if (loadsStoredCertificatesLazily()) {
            assertThat(loads).as("no key loaded before a handshake asks for the name").hasValue(0);
        } else {
            assertThat(loads).as("loaded when installed").hasValue(1);
        }
        assertThat(servedSerial("www." + name())).isEqualTo(stored.metadata().serialNumber());
        assertThat(servedSerial("www." + name())).isEqualTo(stored.metadata().serialNumber());
        assertThat(loads).hasValue(1);
    }
}
