package dev.autocert4j;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.testkit.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The built-in guards: the ask endpoint refuses on anything but a 2xx, and never allows on an error. */
class OnDemandGuardTest {

    private HttpServer endpoint;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger redirectTargetHits = new AtomicInteger();
    private final CountDownLatch neverReleased = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        endpoint.createContext("/allowed", exchange -> {
            queries.add(exchange.getRequestURI().getRawQuery());
            if (status.get() / 100 == 3) {
                exchange.getResponseHeaders().add("Location", url("/elsewhere").toString());
            }
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        endpoint.createContext("/elsewhere", exchange -> {
            redirectTargetHits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        endpoint.createContext("/hanging", exchange -> {
            try {
                neverReleased.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        endpoint.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        endpoint.start();
    }

    @AfterEach
    void stop() {
        neverReleased.countDown();
        endpoint.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + path);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 204, 299})
    void anyTwoHundredAllows(int answer) throws Exception {
        status.set(answer);

        assertThat(OnDemandGuard.ask(url("/allowed")).allows("shop.customer.test")).isTrue();
        assertThat(queries).containsExactly("domain=shop.customer.test");
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308, 400, 403, 404, 429, 500, 503})
    void aRedirectOrAnyOtherStatusRefusesAndARedirectIsNotFollowed(int answer) throws Exception {
        status.set(answer);

        assertThat(OnDemandGuard.ask(url("/allowed")).allows("shop.customer.test")).isFalse();
        assertThat(redirectTargetHits).hasValue(0);
    }

    @Test
    void anEndpointThatIsDownRefuses() throws Exception {
        URI down = URI.create("http://127.0.0.1:" + Ports.free() + "/allowed");

        assertThat(OnDemandGuard.ask(down).allows("shop.customer.test")).isFalse();
    }

    @Test
    void anEndpointThatDoesNotAnswerWithinTheTimeoutRefuses() throws Exception {
        long started = System.nanoTime();

        assertThat(OnDemandGuard.ask(url("/hanging"), Duration.ofMillis(300)).allows("shop.customer.test")).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void theNameIsAddedToTheEndpointsOwnQueryEncoded() throws Exception {
        assertThat(OnDemandGuard.ask(URI.create(url("/allowed") + "?portal=7")).allows("a&b=c.customer.test")).isTrue();

        assertThat(queries).containsExactly("portal=7&domain=a%26b%3Dc.customer.test");
    }

    @Test
    void onlyHttpAndHttpsEndpointsAreAccepted() {
        assertThatThrownBy(() -> OnDemandGuard.ask(URI.create("file:///etc/passwd")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not an http or https URL");
    }

    @Test
    void theSuffixGuardAllowsNamesUnderASuffixOnly() throws Exception {
        OnDemandGuard guard = OnDemandGuard.allowingSuffixes(".shops.example.net", "Customers.Example.ORG");

        assertThat(guard.allows("a.shops.example.net")).isTrue();
        assertThat(guard.allows("b.a.shops.example.net")).isTrue();
        assertThat(guard.allows("x.customers.example.org")).isTrue();
        assertThat(guard.allows("shops.example.net")).as("the suffix itself").isFalse();
        assertThat(guard.allows("evilshops.example.net")).as("not under it").isFalse();
        assertThat(guard.allows("a.shops.example.net.attacker.test")).isFalse();
        assertThatThrownBy(() -> OnDemandGuard.allowingSuffixes("net")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(OnDemandGuard::allowingSuffixes).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void thePredicateGuardAsksTheHostsCode() throws Exception {
        OnDemandGuard guard = OnDemandGuard.matching(name -> name.equals("shop.customer.test"));

        assertThat(guard.allows("shop.customer.test")).isTrue();
        assertThat(guard.allows("other.customer.test")).isFalse();
    }

    @Test
    void onDemandIssuanceCannotBeBuiltWithoutAGuard() {
        assertThatThrownBy(() -> OnDemandIssuance.builder().keyManager(new dev.autocert4j.tls.SniKeyManager()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("On-demand issuance needs a guard")
                .hasMessageContaining("rate limits");
    }
}
