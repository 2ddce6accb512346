package dev.autocert4j;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.JdkHttpsHost;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.ForwardingCertificateStore;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.tls.SniKeyManager;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On-demand issuance from Pebble on a real JDK HttpsServer, guarded by an ask endpoint: an allowed
 * new name gets its certificate in its first handshake, a refused one never makes an order however
 * many handshakes ask, and fifty handshakes at once for one new name make one order.
 */
class OnDemandIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static final Set<String> ALLOWED = ConcurrentHashMap.newKeySet();
    private static final Map<String, AtomicInteger> ASKED = new ConcurrentHashMap<>();
    private static HttpServer askEndpoint;
    private static TestChallengeServer challenges;
    private static JdkHttpsHost host;
    private static AutoCert autoCert;

    @BeforeAll
    static void start() throws Exception {
        askEndpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        askEndpoint.createContext("/allowed", exchange -> {
            String name = exchange.getRequestURI().getQuery().replaceFirst("^domain=", "");
            ASKED.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(ALLOWED.contains(name) ? 200 : 403, -1);
            exchange.close();
        });
        askEndpoint.start();
        challenges = new TestChallengeServer(PEBBLE.httpChallengePort());
        host = new JdkHttpsHost("http://portal.ondemand.test:8080");
        autoCert = onDemandAutoCert(host, askUrl());
    }

    private static AutoCert onDemandAutoCert(JdkHttpsHost server, URI ask) {
        return onDemandAutoCert(server, ask, Enrollments.autoCert(PEBBLE, server, challenges, new InMemoryCertificateStore()));
    }

    private static AutoCert onDemandAutoCert(JdkHttpsHost server, URI ask, AutoCert.Builder builder) {
        AutoCert built = builder
                .onDemand(OnDemandIssuance.builder()
                        .guard(OnDemandGuard.ask(ask))
                        .keyManager(server.keys())
                        .httpsPort(server.port())
                        .ownDomains("ondemand.test")
                        .build())
                .build();
        built.register(AccountRegistration.builder().email("admin@autocert4j.test")
                .termsOfServiceAccepted(built.termsOfService().orElseThrow()).build());
        built.start();
        return built;
    }

    private static URI askUrl() {
        return URI.create("http://127.0.0.1:" + askEndpoint.getAddress().getPort() + "/allowed");
    }

    @AfterAll
    static void stop() {
        autoCert.close();
        host.close();
        challenges.close();
        askEndpoint.stop(0);
    }

    private static X509Certificate served(JdkHttpsHost server, String name) throws Exception {
        return TlsClient.create().handshake(server.address(), name).get(0);
    }

    private static int asked(String name) {
        AtomicInteger count = ASKED.get(name);
        return count == null ? 0 : count.get();
    }

    @Test
    void anAllowedNewNameGetsItsCertificateFromTheCaInItsFirstHandshake() throws Exception {
        ALLOWED.add("shop.customer.test");
        int ordersBefore = PEBBLE.server().issuedCount();

        X509Certificate first = served(host, "shop.customer.test");

        assertThat(first.getSubjectAlternativeNames()).anySatisfy(name -> assertThat(name.get(1)).isEqualTo("shop.customer.test"));
        assertThat(first.getIssuerX500Principal().getName()).containsIgnoringCase("Pebble");
        assertThat(PEBBLE.server().issuedCount()).isEqualTo(ordersBefore + 1);
        assertThat(autoCert.managedDomains()).contains("shop.customer.test");
        assertThat(served(host, "shop.customer.test").getSerialNumber()).isEqualTo(first.getSerialNumber());
        assertThat(asked("shop.customer.test")).isEqualTo(1);
    }

    @Test
    void aRefusedNameMakesNoOrderAndAStormOfOneHundredHandshakesAsksTheGuardOnce() throws Exception {
        int ordersBefore = PEBBLE.server().issuedCount();

        List<Object> outcomes = handshakesAtOnce(100, "evil.attacker.test");

        assertThat(outcomes).hasSize(100);
        assertThat(asked("evil.attacker.test")).isEqualTo(1);
        assertThat(PEBBLE.server().issuedCount()).isEqualTo(ordersBefore);
        assertThat(autoCert.managedDomains()).doesNotContain("evil.attacker.test");
    }

    @Test
    void fiftyHandshakesAtOnceForOneNewNameMakeOneOrderAndAllGetTheCertificate() throws Exception {
        ALLOWED.add("storm.customer.test");
        int ordersBefore = PEBBLE.server().issuedCount();

        List<Object> outcomes = handshakesAtOnce(50, "storm.customer.test");

        assertThat(PEBBLE.server().issuedCount()).isEqualTo(ordersBefore + 1);
        assertThat(asked("storm.customer.test")).isEqualTo(1);
        assertThat(outcomes).as("every handshake got the new certificate within the wait")
                .allSatisfy(outcome -> assertThat(outcome).isInstanceOf(X509Certificate.class))
                .extracting(outcome -> ((X509Certificate) outcome).getSerialNumber()).containsOnly(
                        ((X509Certificate) outcomes.get(0)).getSerialNumber());
    }

    @Test
    void aNameUnderTheOwnDomainThatIsNotConfiguredIsRefusedWithoutAskingTheGuard() throws Exception {
        int ordersBefore = PEBBLE.server().issuedCount();

        handshakesAtOnce(5, "typo.ondemand.test");

        assertThat(asked("typo.ondemand.test")).isZero();
        assertThat(PEBBLE.server().issuedCount()).isEqualTo(ordersBefore);
    }

    @Test
    void anAskEndpointThatIsDownRefusesAndNothingIsOrdered() throws Exception {
        try (JdkHttpsHost other = new JdkHttpsHost("http://portal.ondemand.test:8080");
             AutoCert downGuarded = onDemandAutoCert(other, URI.create("http://127.0.0.1:" + Ports.free() + "/allowed"))) {
            ALLOWED.add("down.customer.test");
            int ordersBefore = PEBBLE.server().issuedCount();

            served(other, "down.customer.test");

            assertThat(PEBBLE.server().issuedCount()).isEqualTo(ordersBefore);
            assertThat(downGuarded.managedDomains()).doesNotContain("down.customer.test");
        }
    }

    @Test
    void aNameTheGuardRefusesLaterIsNotRenewedAndNoLongerServedOnceExpired() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (JdkHttpsHost other = new JdkHttpsHost("http://portal.ondemand.test:8080");
             AutoCert shortLived = onDemandAutoCert(other, askUrl(), Enrollments.autoCert(PEBBLE, other, challenges,
                     new InMemoryCertificateStore()).clock(clock).certificateLifetime(Duration.ofHours(2)))) {
            ALLOWED.add("leaving.customer.test");
            X509Certificate first = served(other, "leaving.customer.test");
            assertThat(first.getSubjectAlternativeNames()).anySatisfy(name -> assertThat(name.get(1))
                    .isEqualTo("leaving.customer.test"));
            int ordersBefore = PEBBLE.server().issuedCount();
            ALLOWED.remove("leaving.customer.test");

            clock.set(first.getNotAfter().toInstant().plusSeconds(60));
            shortLived.checkNow();

            assertThat(PEBBLE.server().issuedCount()).as("not renewed").isEqualTo(ordersBefore);
            assertThat(asked("leaving.customer.test")).as("asked when due").isEqualTo(2);
            assertThat(served(other, "leaving.customer.test").getSerialNumber()).as("no longer served")
                    .isNotEqualTo(first.getSerialNumber());
        }
    }

    @Test
    void anIdleOnDemandCertificateIsLetGoFromMemoryAndLoadedAgainWhenAsked() throws Exception {
        Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
        CertificateStore countingLoads = new ForwardingCertificateStore(new InMemoryCertificateStore()) {
            @Override
            public java.util.Optional<IssuedCertificate> loadCertificate(String domain) {
                loads.computeIfAbsent(domain, d -> new AtomicInteger()).incrementAndGet();
                return super.loadCertificate(domain);
            }
        };
        try (JdkHttpsHost oneLoaded = new JdkHttpsHost(new SniKeyManager(1), 0, "http://portal.ondemand.test:8080");
             AutoCert capped = onDemandAutoCert(oneLoaded, askUrl(),
                     Enrollments.autoCert(PEBBLE, oneLoaded, challenges, countingLoads))) {
            ALLOWED.add("idle.customer.test");
            ALLOWED.add("busy.customer.test");
            X509Certificate idle = served(oneLoaded, "idle.customer.test");
            served(oneLoaded, "busy.customer.test");
            int loadsWhileLoaded = loads.get("idle.customer.test").get();

            assertThat(served(oneLoaded, "idle.customer.test").getSerialNumber()).isEqualTo(idle.getSerialNumber());
            assertThat(loads.get("idle.customer.test")).as("let go while idle, so loaded again from the store")
                    .hasValue(loadsWhileLoaded + 1);
        }
    }

    @Test
    void onDemandWithoutAGuardFailsAtStartSayingWhy() {
        assertThatThrownBy(() -> Enrollments.autoCert(PEBBLE, host, challenges, new InMemoryCertificateStore())
                .onDemand(OnDemandIssuance.builder().keyManager(host.keys()).build()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("On-demand issuance needs a guard: without one, anyone who points a domain at"
                        + " this server makes it order certificates");
    }

    /** @return per handshake, the certificate served or the exception it failed with */
    private static List<Object> handshakesAtOnce(int count, String name) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(count);
        try {
            List<Future<Object>> handshakes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                handshakes.add(clients.submit(() -> {
                    try {
                        return served(host, name);
                    } catch (Exception e) {
                        return e;
                    }
                }));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> handshake : handshakes) {
                outcomes.add(handshake.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            clients.shutdownNow();
        }
    }
}
