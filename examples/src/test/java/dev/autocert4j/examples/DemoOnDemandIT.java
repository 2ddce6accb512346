package dev.autocert4j.examples;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo portal with --on-demand-ask, from a real Pebble: an allowed new name is served its certificate at once. */
class DemoOnDemandIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    @TempDir
    Path state;

    @Test
    void anAllowedNewNameGetsItsCertificateInItsFirstHandshakeAndARefusedOneMakesNoOrder() throws Exception {
        Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
        HttpServer ask = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ask.createContext("/allowed", exchange -> {
            String name = exchange.getRequestURI().getQuery().replaceFirst("^domain=", "");
            asked.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(name.endsWith(".customers.test") ? 200 : 403, -1);
            exchange.close();
        });
        ask.start();
        int httpsPort = Ports.free();
        try (DemoProcess demo = DemoProcess.start(state.getParent().resolve("on-demand.log"), List.of("run",
                "--listen", "http://portal.demo-ondemand.test:" + PEBBLE.httpChallengePort(), "--https-port",
                String.valueOf(httpsPort), "--on-demand-ask", "http://127.0.0.1:" + ask.getAddress().getPort()
                        + "/allowed", "--on-demand-limit", "5/1m",
                "--acme", PEBBLE.directoryUri().toString(), "--acme-trust", PEBBLE.trustFile().toString(),
                "--acme-name", "Pebble", "--email", "admin@autocert4j.test", "--accept-tos", "--admin-port", "0",
                "--bind-address", "127.0.0.1", "--state", state.toString()))) {
            demo.awaitPort(httpsPort);
            InetSocketAddress https = new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort);
            int ordersBefore = PEBBLE.server().issuedCount();

            X509Certificate shop = TlsClient.create().handshake(https, "shop.customers.test").get(0);
            assertThat(shop.getSubjectAlternativeNames()).anySatisfy(name -> assertThat(name.get(1))
                    .isEqualTo("shop.customers.test"));
            assertThat(PEBBLE.server().issuedCount()).isEqualTo(ordersBefore + 1);

            for (int i = 0; i < 5; i++) {
                try {
                    TlsClient.create().handshake(https, "evil.attacker.test");
                } catch (java.io.IOException refusedWithoutACertificate) {
                    // nothing is installed for an unknown name but the new one: either outcome is fine here
                }
            }
            assertThat(asked.get("evil.attacker.test")).hasValue(1);
            assertThat(PEBBLE.server().issuedCount()).isEqualTo(ordersBefore + 1);
        } finally {
            ask.stop(0);
        }
    }
}
