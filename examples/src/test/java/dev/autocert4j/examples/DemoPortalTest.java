package dev.autocert4j.examples;

import dev.autocert4j.testkit.Ports;
import dev.autocert4j.Binding;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.testkit.TestCertificateAuthority;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo portal in process: where it redirects, where HSTS goes, and what its install promises. */
class DemoPortalTest {

    private static final TestCertificateAuthority CA = new TestCertificateAuthority("Demo portal test CA");

    private final int plainPort = Ports.free();
    private DemoPortal portal;

    @AfterEach
    void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    private DemoPortal start(boolean forceHttps, boolean hsts) throws IOException {
        portal = new DemoPortal(List.of(Binding.parse("http://portal.example.com:" + plainPort)), "127.0.0.1",
                new Http01Responder(), forceHttps, hsts);
        portal.start();
        return portal;
    }

    @Test
    void theRedirectToHttpsNamesTheConfiguredBindingWhateverTheHostHeaderSays() throws Exception {
        start(true, false);
        int httpsPort = Ports.free();
        portal.install(Binding.parse("https://portal.example.com:" + httpsPort), CA.issue("portal.example.com"));

        String answer = plain("GET /account?tab=1 HTTP/1.1\r\nHost: evil.example.net\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 301")
                .contains("Location: https://portal.example.com:" + httpsPort + "/account?tab=1\r\n")
                .doesNotContain("evil.example.net");
        assertThat(plain("GET /.well-known/acme-challenge/unknown HTTP/1.1\r\nHost: portal.example.com\r\n\r\n"))
                .as("the challenge path is never redirected").startsWith("HTTP/1.1 404");
    }

    @Test
    void hstsIsSentOnHttpsButNeverOnTheChallengePath() throws Exception {
        start(false, true);
        int httpsPort = Ports.free();
        IssuedCertificate certificate = CA.issue("portal.example.com");
        assertThat(portal.install(Binding.parse("https://portal.example.com:" + httpsPort), certificate))
                .isEqualTo(InstallResult.LIVE);

        String home = https(httpsPort, "GET / HTTP/1.1\r\nHost: portal.example.com\r\n\r\n");
        String challenge = https(httpsPort, "GET /.well-known/acme-challenge/x HTTP/1.1\r\nHost: portal.example.com\r\n\r\n");

        assertThat(home).startsWith("HTTP/1.1 200").containsIgnoringCase("Strict-Transport-Security: max-age=31536000")
                .contains(certificate.metadata().serialNumber());
        assertThat(challenge).doesNotContainIgnoringCase("Strict-Transport-Security");
    }

    @Test
    void installingOnAPortItCannotOpenFailsInsteadOfAnsweringLive() throws Exception {
        start(false, false);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Binding binding = Binding.parse("https://portal.example.com:" + taken.getLocalPort());

            assertThatThrownBy(() -> portal.install(binding, CA.issue("portal.example.com")))
                    .isInstanceOf(IOException.class).hasMessageContaining("cannot open HTTPS on 127.0.0.1:"
                            + taken.getLocalPort());
        }
    }

    private String plain(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), plainPort)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String https(int port, String request) throws IOException {
        try (SSLSocket socket = TlsClient.create().open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                "portal.example.com")) {
            socket.getOutputStream().write(request.replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
