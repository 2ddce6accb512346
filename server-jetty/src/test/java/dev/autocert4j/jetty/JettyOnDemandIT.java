package dev.autocert4j.jetty;

import dev.autocert4j.AccountRegistration;
import dev.autocert4j.AutoCert;
import dev.autocert4j.OnDemandGuard;
import dev.autocert4j.OnDemandIssuance;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.TlsClient;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On-demand issuance on a real Jetty 12 server from a real Pebble: the first handshake for an
 * allowed new name gets its certificate, a refused name makes no order, and fifty handshakes at
 * once for one new name make one order.
 */
class JettyOnDemandIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static final Set<String> ALLOWED = ConcurrentHashMap.newKeySet();
    private static final Map<String, AtomicInteger> ASKED = new ConcurrentHashMap<>();
    private static Server server;
    private static AutoCert autoCert;
    private static int httpsPort;

    @BeforeAll
    static void startJetty() throws Exception {
        server = new Server();
        ServerConnector http = new ServerConnector(server, new HttpConnectionFactory());
        http.setHost("127.0.0.1");
        http.setPort(PEBBLE.httpChallengePort());
        server.addConnector(http);
        Http01Responder challenges = new Http01Responder();
        AcmeChallengeHandler.insertFirst(server, challenges);
        JettyBindings bindings = JettyBindings.of(server, "portal.jetty-ondemand.test");
        server.start();
        httpsPort = Ports.free();
        bindings.openHttps(httpsPort);

        autoCert = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority()).bindingProvider(bindings)
                .challengeSolver(challenges).certificateStore(new InMemoryCertificateStore())
                .onDemand(OnDemandIssuance.builder()
                        .guard(OnDemandGuard.matching(name -> {
                            ASKED.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                            return ALLOWED.contains(name);
                        }))
                        .keyManager(bindings.keyManager())
                        .httpsPort(httpsPort)
                        .build())
                .build();
        autoCert.register(AccountRegistration.builder().email("admin@autocert4j.test")
                .termsOfServiceAccepted(autoCert.termsOfService().orElseThrow()).build());
        autoCert.start();
    }

    @AfterAll
    static void stopJetty() throws Exception {
        autoCert.close();
        server.stop();
    }

    private static Object handshake(String name) {
        return handshake(name, 0);
    }

    /**
     * A handshake from one of eight loopback addresses (127.0.0.2 to .9), so that fifty at once stay
     * under the connector's cap of connections per client address.
     */
    private static Object handshake(String name, int client) {
        try (SSLSocket socket = (SSLSocket) TlsClient.sslContextTrustingAnything().getSocketFactory().createSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (2 + client % 8)), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort), 10_000);
            socket.setSoTimeout(30_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(name)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        } catch (Exception e) {
            return e;
        }
    }

    private static List<Object> handshakesAtOnce(int count, String name) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(count);
        try {
            List<Future<Object>> handshakes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int client = i;
                handshakes.add(clients.submit(() -> handshake(name, client)));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> each : handshakes) {
                outcomes.add(each.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            clients.shutdownNow();
        }
    }

    private static int asked(String name) {
        AtomicInteger count = ASKED.get(name);
        return count == null ? 0 : count.get();
    }

    @Test
    void anAllowedNewNameGetsItsCertificateInItsFirstHandshake() throws Exception {
        ALLOWED.add("shop.jetty-customer.test");
        int ordersBefore = PEBBLE.server().issuedCount();

        Object first = handshake("shop.jetty-customer.test");

        assertThat(first).isInstanceOf(X509Certificate.class);
        assertThat(((X509Certificate) first).getSubjectAlternativeNames())
                .anySatisfy(name -> assertThat(name.get(1)).isEqualTo("shop.jetty-customer.test"));
        assertThat(((X509Certificate) first).getIssuerX500Principal().getName()).containsIgnoringCase("Pebble");
        assertThat(PEBBLE.server().issuedCount()).isEqualTo(ordersBefore + 1);
    }

    @Test
    void aRefusedNameMakesNoOrderHoweverManyHandshakesAsk() throws Exception {
        int ordersBefore = PEBBLE.server().issuedCount();

        handshakesAtOnce(30, "evil.jetty-attacker.test");

        assertThat(asked("evil.jetty-attacker.test")).isEqualTo(1);
        assertThat(PEBBLE.server().issuedCount()).isEqualTo(ordersBefore);
        assertThat(autoCert.managedDomains()).doesNotContain("evil.jetty-attacker.test");
    }

    @Test
    void fiftyHandshakesAtOnceForOneNewNameMakeOneOrder() throws Exception {
        ALLOWED.add("storm.jetty-customer.test");
        int ordersBefore = PEBBLE.server().issuedCount();

        List<Object> outcomes = handshakesAtOnce(50, "storm.jetty-customer.test");

        assertThat(PEBBLE.server().issuedCount()).isEqualTo(ordersBefore + 1);
        assertThat(asked("storm.jetty-customer.test")).isEqualTo(1);
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(X509Certificate.class));
        assertThat(outcomes.stream().map(outcome -> ((X509Certificate) outcome).getSerialNumber()).distinct()).hasSize(1);
    }
}
