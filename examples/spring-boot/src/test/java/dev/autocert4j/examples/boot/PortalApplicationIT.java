package dev.autocert4j.examples.boot;

import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.Binding;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RawHttp;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.net.ssl.SSLSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example as it is, its {@code application.properties} included, pointed at a local Pebble
 * instead of Let's Encrypt (Pebble's DNS answers 127.0.0.1 for portal.example.com), with HTTPS and
 * HTTP on free ports instead of 443 and 80; with {@code autocert4j.admin.enabled=true}, the admin
 * page at {@code /autocert4j} behind the admin token.
 */
@SpringBootTest(classes = {PortalApplication.class, PortalApplicationIT.Installed.class},
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class PortalApplicationIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    @TempDir
    static Path state;

    static final BlockingQueue<IssuedCertificate> INSTALLED = new LinkedBlockingQueue<>();

    @DynamicPropertySource
    static void pebbleInsteadOfLetsEncrypt(DynamicPropertyRegistry registry) {
        registry.add("autocert4j.ca", () -> PEBBLE.directoryUri().toString());
        registry.add("autocert4j.ca-trust", () -> PEBBLE.trustFile().toString());
        registry.add("autocert4j.http-port", PEBBLE::httpChallengePort);
        registry.add("autocert4j.state-dir", state::toString);
        registry.add("server.port", () -> 0);
        registry.add("autocert4j.admin.enabled", () -> "true");
    }

    @TestConfiguration
    static class Installed {
        @Bean
        AutoCertListener installed() {
            return new AutoCertListener() {
                @Override
                public void installed(IssuedCertificate certificate, Binding httpsBinding, InstallResult result) {
                    INSTALLED.add(certificate);
                }
            };
        }
    }

    @Autowired
    WebServerApplicationContext context;
    @Autowired
    AutoCert autoCert;

    @Test
    void thePortalServesItsPageWithTheCertificateFromTheCa() throws Exception {
        IssuedCertificate installed = INSTALLED.poll(60, TimeUnit.SECONDS);
        assertThat(installed).as("a certificate within a minute").isNotNull();
        InetSocketAddress https = new InetSocketAddress(InetAddress.getLoopbackAddress(), context.getWebServer().getPort());

        try (SSLSocket socket = TlsClient.create().open(https, "portal.example.com")) {
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(installed.leaf());
            assertThat(RawHttp.exchange(socket, "GET / HTTP/1.1\r\nHost: portal.example.com\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200").endsWith("Served over HTTPS with a Let's Encrypt certificate");
        }
        assertThat(autoCert.status("portal.example.com").lastError()).isNull();
    }

    @Test
    void theAdminPageIsMountedBehindTheAdminTokenWhoseFileIsInTheStateFolder() throws Exception {
        InetSocketAddress https = new InetSocketAddress(InetAddress.getLoopbackAddress(), context.getWebServer().getPort());
        String host = "Host: portal.example.com:" + https.getPort() + "\r\n";
        try (SSLSocket socket = TlsClient.create().open(https, "portal.example.com")) {
            assertThat(RawHttp.exchange(socket, "GET /autocert4j/api/v1/state HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 401").doesNotContain("csrfToken");
        }
        String form = "token=" + java.nio.file.Files.readString(state.resolve("admin.token")).strip();
        String login;
        try (SSLSocket socket = TlsClient.create().open(https, "portal.example.com")) {
            login = RawHttp.exchange(socket, "POST /autocert4j/login HTTP/1.1\r\n" + host + "Origin: https://portal.example.com:"
                    + https.getPort() + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length()
                    + "\r\nConnection: close\r\n\r\n" + form);
        }
        assertThat(login).startsWith("HTTP/1.1 303").containsPattern("(?i)Set-Cookie: autocert4j_admin=[^;]+;[^\r]*Secure");
        String cookie = login.replaceAll("(?s).*(?i:Set-Cookie): (autocert4j_admin=[^;]+);.*", "$1");
        try (SSLSocket socket = TlsClient.create().open(https, "portal.example.com")) {
            assertThat(RawHttp.exchange(socket, "GET /autocert4j/ HTTP/1.1\r\n" + host + "Cookie: " + cookie
                    + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200").contains("<h1>Certificates</h1>")
                    .containsIgnoringCase("X-Frame-Options: DENY");
        }
    }
}
