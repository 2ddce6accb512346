package dev.autocert4j.tomcat;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RawHttp;
import dev.autocert4j.testkit.TlsClient;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real embedded Tomcat 11 gets its certificates from a real Pebble: the challenge is answered on
 * the plain HTTP connector while a CONFIDENTIAL constraint redirects everything else to HTTPS and
 * BASIC authentication guards it, HTTPS opens at run time, renewals are live, two names share a port.
 */
class TomcatAutoCertIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    @TempDir
    Path baseDir;

    private Tomcat tomcat;
    private TomcatBindings bindings;
    private AutoCert autoCert;
    private int httpsPort;

    @BeforeEach
    void startTomcat() throws Exception {
        httpsPort = TomcatFixture.freePort();
        tomcat = TomcatFixture.start(baseDir, PEBBLE.httpChallengePort(), httpsPort, true);
        Http01Responder challenges = new Http01Responder();
        AcmeChallengeValve.addTo(tomcat.getEngine(), challenges);
        bindings = TomcatBindings.of(tomcat.getService(), "tomcat.autocert4j.test", "www.tomcat.autocert4j.test");
        autoCert = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(bindings)
                .challengeResponder(challenges).certificateStore(new InMemoryCertificateStore()).build();
    }

    @AfterEach
    void stopTomcat() throws Exception {
        autoCert.close();
        tomcat.stop();
        tomcat.destroy();
    }

    private EnrollmentRequest request(String host) {
        return EnrollmentRequest.builder().binding(new Binding("http", host, PEBBLE.httpChallengePort()))
                .httpsPort(httpsPort).email("admin@autocert4j.test").termsOfServiceAccepted(true).build();
    }

    private InetSocketAddress https() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort);
    }

    private String servedSerial(String name) throws Exception {
        return TlsClient.create().servedSerial(https(), name);
    }

    @Test
    void obtainsACertificateAndOpensHttpsAtRunTimeWhileEverythingElseIsRedirectedAndLocked() throws Exception {
        assertThat(plain("GET /account HTTP/1.1\r\nHost: tomcat.autocert4j.test\r\n\r\n")).as("the host's redirect")
                .startsWith("HTTP/1.1 302").contains("Location: https://tomcat.autocert4j.test:" + httpsPort + "/account");
        assertThat(plain("GET /.well-known/acme-challenge/unknown HTTP/1.1\r\nHost: tomcat.autocert4j.test\r\n\r\n"))
                .as("never redirected").startsWith("HTTP/1.1 404");

        CertificateStatus status = autoCert.enroll(request("tomcat.autocert4j.test"));

        assertThat(status.installResult()).isEqualTo(InstallResult.LIVE);
        assertThat(status.lastError()).as("the check after install saw the certificate served").isNull();
        assertThat(bindings.bindings()).contains(new Binding("https", "tomcat.autocert4j.test", httpsPort));
        List<X509Certificate> chain = TlsClient.create().handshake(https(), "tomcat.autocert4j.test");
        PEBBLE.verifyChain(chain);
        try (SSLSocket socket = TlsClient.create().open(https(), "tomcat.autocert4j.test")) {
            assertThat(RawHttp.exchange(socket, "GET / HTTP/1.1\r\nHost: tomcat.autocert4j.test\r\nConnection: close\r\n\r\n"))
                    .as("HTTPS reaches the host's own constraint").startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void aRenewalIsLiveForNewConnectionsAndAnOpenConnectionKeepsWorking() throws Exception {
        String first = autoCert.enroll(request("tomcat.autocert4j.test")).serialNumber();
        try (SSLSocket open = TlsClient.create().open(https(), "tomcat.autocert4j.test")) {
            String renewed = autoCert.renewNow("tomcat.autocert4j.test").serialNumber();

            assertThat(renewed).isNotEqualTo(first);
            assertThat(servedSerial("tomcat.autocert4j.test")).isEqualTo(renewed);
            assertThat(((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16))
                    .isEqualTo(first);
            assertThat(RawHttp.exchange(open, "GET / HTTP/1.1\r\nHost: tomcat.autocert4j.test\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void twoNamesOnOneHttpsPortAreServedBySni() throws Exception {
        String apex = autoCert.enroll(request("tomcat.autocert4j.test")).serialNumber();
        String www = autoCert.enroll(request("www.tomcat.autocert4j.test")).serialNumber();

        assertThat(servedSerial("tomcat.autocert4j.test")).isEqualTo(apex);
        assertThat(servedSerial("www.tomcat.autocert4j.test")).isEqualTo(www);
        assertThat(servedSerial(null)).as("no SNI: the first name's").isEqualTo(apex);
    }

    private static String plain(String request) throws IOException {
        return RawHttp.plain(PEBBLE.httpChallengePort(), request);
    }
}
