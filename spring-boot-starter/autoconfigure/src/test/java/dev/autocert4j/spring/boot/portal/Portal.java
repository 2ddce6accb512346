package dev.autocert4j.spring.boot.portal;

import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RawHttp;
import dev.autocert4j.testkit.TlsClient;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/** What the Spring Boot tests share: the properties, the server under test, and requests to it. */
public final class Portal {

    /** The name the portal is reached by; Pebble's DNS resolves every name to 127.0.0.1. */
    public static final String DOMAIN = "portal.autocert4j.test";

    private Portal() {
    }

    /**
     * The properties of the example, plus what points them at the test's Pebble.
     *
     * @param registry the test's properties
     * @param pebble   the CA
     * @param state    the state folder
     */
    public static void properties(DynamicPropertyRegistry registry, PebbleExtension pebble, Path state) {
        registry.add("autocert4j.enabled", () -> "true");
        registry.add("autocert4j.domains", () -> DOMAIN);
        registry.add("autocert4j.email", () -> "admin@autocert4j.test");
        registry.add("autocert4j.accept-terms-of-service", () -> "true");
        registry.add("server.port", () -> "0");
        registry.add("autocert4j.ca", () -> pebble.directoryUri().toString());
        registry.add("autocert4j.ca-trust", () -> pebble.trustFile().toString());
        registry.add("autocert4j.http-port", () -> String.valueOf(pebble.httpChallengePort()));
        registry.add("autocert4j.state-dir", state::toString);
    }

    /**
     * Checks that the test runs on the server its Maven execution chose ({@code autocert4j.test.server}),
     * so that neither server's run can silently test the other.
     *
     * @param context the application
     * @return the HTTPS port
     */
    public static int requireServerUnderTest(WebServerApplicationContext context) {
        WebServer server = context.getWebServer();
        String expected = System.getProperty("autocert4j.test.server", "tomcat");
        assertThat(server.getClass().getSimpleName().toLowerCase()).as("the embedded server").startsWith(expected);
        return server.getPort();
    }

    /**
     * @param port the HTTPS port
     * @return the certificate served for {@link #DOMAIN}
     */
    public static X509Certificate served(int port) throws IOException {
        return TlsClient.create().handshake(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), DOMAIN).get(0);
    }

    /**
     * A plain HTTP GET to 127.0.0.1 with the portal's name as {@code Host}, redirects not followed.
     *
     * @param port the port
     * @param path the path
     * @return the raw response
     */
    public static String plainGet(int port, String path) throws IOException {
        return RawHttp.plain(port, "GET " + path + " HTTP/1.1\r\nHost: " + DOMAIN + "\r\n\r\n");
    }
}
