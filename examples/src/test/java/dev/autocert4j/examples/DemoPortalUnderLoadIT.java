package dev.autocert4j.examples;

import dev.autocert4j.testkit.AdminClient;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.PebbleExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo portal's plain HTTP port held by hundreds of idle connections (slowloris) from other
 * addresses, while its home page answers and Pebble validates a real challenge on it.
 */
class DemoPortalUnderLoadIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    private DemoProcess portal;
    private int adminPort;
    private final List<Socket> attackers = new ArrayList<>();

    @BeforeEach
    void startPortal() throws Exception {
        adminPort = Ports.free();
        portal = DemoProcess.start(folder,
                "--acme", PEBBLE.directoryUri().toString(), "--acme-trust", PEBBLE.trustFile().toString(),
                "--acme-name", "Pebble", "--listen", "http://load.autocert4j.test:" + PEBBLE.httpChallengePort(),
                "--bind-address", "127.0.0.1", "--admin-port", String.valueOf(adminPort),
                "--state", folder.resolve("state").toString());
        portal.awaitPort(adminPort);
        portal.awaitPort(PEBBLE.httpChallengePort());
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : attackers) {
            socket.close();
        }
        portal.close();
    }

    @Test
    void idleConnectionsOnPortEightyDoNotKeepTheCaOrVisitorsOut() throws Exception {
        int port = PEBBLE.httpChallengePort();
        holdIdleConnections(port, 64);
        long started = System.nanoTime();
        assertThat(get(port, "/", "load.autocert4j.test")).startsWith("HTTP/1.1 200").contains("autocert4j demo portal");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the home page with 64 idle connections held")
                .isLessThan(Duration.ofSeconds(2));

        holdIdleConnections(port, 500);
        String status = enrollThroughTheAdminPage();

        assertThat(status).as("Pebble's validation got through 564 idle connections").contains("\"stage\":\"Installed.\"");
        assertThat(portal.log()).contains("Pebble validated load.autocert4j.test over HTTP-01");
        started = System.nanoTime();
        assertThat(get(port, "/.well-known/acme-challenge/unknown", "load.autocert4j.test")).startsWith("HTTP/1.1 404");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    /** Logs in to the admin page with the token from its file, posts the Configure form, waits for the job to end. */
    private String enrollThroughTheAdminPage() throws Exception {
        AdminClient admin = AdminClient.loggedIn(adminPort, "/admin", folder.resolve("state").resolve("admin.token"));
        String posted = admin.postWithCsrf("/admin/configure", "binding=http%3A%2F%2Fload.autocert4j.test%3A"
                + PEBBLE.httpChallengePort() + "&httpsPort=" + Ports.free() + "&tos=on&email=admin%40autocert4j.test");
        assertThat(posted).startsWith("HTTP/1.1 303");
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String state;
        do {
            state = admin.get("/admin/api/v1/state");
            portal.pause(Duration.ofMillis(100));
        } while (state.contains("\"running\":true") && System.nanoTime() < deadline);
        return state;
    }

    private void holdIdleConnections(int port, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (2 + attackers.size() / 8)), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: load".getBytes(StandardCharsets.US_ASCII));
            attackers.add(socket);
        }
    }

    private static String get(int port, String path, String host) throws IOException {
        return request(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
    }

    private static String request(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
