package dev.autocert4j.dns;

import dev.autocert4j.AutoCert;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.dns.internal.Json;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.ChallengeSolverFactory;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.spi.NamedThreads;
import dev.autocert4j.spi.PendingChallenge;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.PowerDnsExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DNS-01 end to end on real PowerDNS servers, Pebble asking the first of them: the powerdns provider
 * chosen by name, CNAME delegation into a second zone, zone discovery, and the propagation check over
 * a zone served by two PowerDNS, one of them updated later.
 */
class PowerDnsChallengeIT {

    private static final InetAddress SECOND = dev.autocert4j.testkit.PowerDnsServer.freeLoopbackAddress();

    @RegisterExtension
    static final PowerDnsExtension PDNS = new PowerDnsExtension();
    @RegisterExtension
    static final PowerDnsExtension PDNS2 = new PowerDnsExtension();

    static {
        PDNS.zone("example.test", "@ A 127.0.0.1",
                        "_acme-challenge.portal CNAME _acme-challenge.portal.delegated.test.",
                        "_acme-challenge.loop1 CNAME _acme-challenge.loop2.example.test.",
                        "_acme-challenge.loop2 CNAME _acme-challenge.loop1.example.test.")
                .zone("delegated.test")
                .zone("two.test", Map.of("ns1.two.test", PDNS.address(), "ns2.two.test", PDNS2.address()));
        PDNS2.zone("two.test", Map.of("ns1.two.test", PDNS.address(), "ns2.two.test", PDNS2.address()));
    }

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().dnsServer(PDNS.dnsAddress());

    @TempDir
    static Path folder;

    private static Map<String, String> settings() {
        try {
            Path key = folder.resolve("pdns.key");
            if (!Files.exists(key)) {
                Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(key, PDNS.server().apiKey());
            }
            return Map.of("api-url", PDNS.server().apiUrl().toString(), "api-key-file", key.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resolver() {
        return PDNS.address().getHostAddress() + ":53";
    }

    private static EnrollmentRequest request(String name, String... extraNames) {
        return EnrollmentRequest.builder().binding(new Binding("http", name, 80)).httpsPort(443)
                .extraNames(extraNames).challenge(ChallengeType.DNS_01)
                .email("admin@autocert4j.test").termsOfServiceAccepted(true).build();
    }

    private static AutoCert autoCert(ChallengeSolver solver, InMemoryCertificateStore store, String name) {
        return AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority())
                .bindingProvider(new RecordingBindingProvider("http://" + name + ":80"))
                .challengeSolver(solver).certificateStore(store).build();
    }

    private static ChallengeSolver solverByName() {
        Map<String, String> settings = new java.util.HashMap<>(settings());
        settings.put("provider", "powerdns");
        settings.put("resolver", resolver());
        settings.put("propagation-timeout", "20");
        return NamedPlugins.create(ChallengeSolverFactory.class, "dns-01", settings, PowerDnsChallengeIT.class
                .getClassLoader());
    }

    private static Set<String> txtValuesThroughTheApi(PowerDnsExtension server, String zone, String name) {
        Set<String> values = new LinkedHashSet<>();
        String json = server.server().api("GET", "/servers/localhost/zones/" + zone + ".", null);
        for (Object item : Json.array(Json.asObject(Json.parse(json), "zone"), "rrsets")) {
            Map<String, Object> rrset = Json.asObject(item, "rrset");
            if ("TXT".equals(rrset.get("type")) && (name + ".").equals(rrset.get("name"))) {
                Json.array(rrset, "records").forEach(record -> values.add((String) Json.asObject(record, "r")
                        .get("content")));
            }
        }
        return values;
    }

    @Test
    void theApexAndItsWildcardInOneCertificateThroughPowerDnsChosenByName() throws Exception {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (AutoCert autoCert = autoCert(solverByName(), store, "example.test")) {

            CertificateStatus status = autoCert.enroll(request("example.test", "*.example.test"));

            assertThat(status.lastError()).isNull();
            assertThat(CertificateMetadata.subjectAlternativeNames(store.loadCertificate("example.test").orElseThrow()
                    .leaf())).containsExactlyInAnyOrder("example.test", "*.example.test");
            assertThat(txtValuesThroughTheApi(PDNS, "example.test", "_acme-challenge.example.test"))
                    .as("both values removed afterwards").isEmpty();
        }
    }

    @Test
    void twoCertificatesValidatingTheSameNameAtOnceEachKeepTheirOwnValue() throws Exception {
        PDNS.server().replaceTxt("example.test", "_acme-challenge.www.example.test", List.of("another-client"));
        ExecutorService pool = Executors.newFixedThreadPool(2, NamedThreads.daemon("test-enroll"));
        try {
            List<Future<CertificateStatus>> results = new ArrayList<>();
            List<InMemoryCertificateStore> stores = List.of(new InMemoryCertificateStore(), new InMemoryCertificateStore());
            for (InMemoryCertificateStore store : stores) {
                results.add(pool.submit(() -> {
                    try (AutoCert autoCert = autoCert(solverByName(), store, "www.example.test")) {
                        return autoCert.enroll(request("www.example.test"));
                    }
                }));
            }
            for (Future<CertificateStatus> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS).lastError()).isNull();
            }
            for (InMemoryCertificateStore store : stores) {
                assertThat(store.loadCertificate("www.example.test")).isPresent();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(txtValuesThroughTheApi(PDNS, "example.test", "_acme-challenge.www.example.test"))
                .as("only the value of the other client is left").containsExactly("\"another-client\"");
    }

    /** Records where the responder wrote, and writes there through the real provider. */
    private static final class RecordingProvider implements DnsProvider {
        final DnsProvider real = DnsProviders.create("powerdns", settings());
        final List<String> added = new CopyOnWriteArrayList<>();

        @Override
        public void addTxtRecord(String zone, String name, String value) {
            added.add(zone + " " + name);
            real.addTxtRecord(zone, name, value);
        }

        @Override
        public void removeTxtRecord(String zone, String name, String value) {
            real.removeTxtRecord(zone, name, value);
        }
    }

    @Test
    void aCnameAtTheChallengeNameSendsTheRecordIntoTheZoneItPointsTo() throws Exception {
        RecordingProvider provider = new RecordingProvider();
        Dns01Responder solver = Dns01Responder.using(provider).resolver(PDNS.dnsAddress())
                .propagationTimeout(Duration.ofSeconds(20)).build();
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        try (AutoCert autoCert = autoCert(solver, store, "portal.example.test")) {

            CertificateStatus status = autoCert.enroll(request("portal.example.test"));

            assertThat(status.lastError()).isNull();
            assertThat(store.loadCertificate("portal.example.test")).isPresent();
        }
        assertThat(provider.added).containsExactly("delegated.test _acme-challenge.portal.delegated.test");
        assertThat(txtValuesThroughTheApi(PDNS, "delegated.test", "_acme-challenge.portal.delegated.test")).isEmpty();
        assertThat(txtValuesThroughTheApi(PDNS, "example.test", "_acme-challenge.portal.example.test")).isEmpty();
    }

    @Test
    void aCnameLoopIsRefusedNamingTheChain() {
        Dns01Responder solver = Dns01Responder.using(new RecordingProvider()).resolver(PDNS.dnsAddress()).build();

        assertThatThrownBy(() -> solver.present(dns01("loop1.example.test", "tok-loop")))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("The CNAME chain at _acme-challenge.loop1.example.test loops: "
                        + "_acme-challenge.loop1.example.test -> _acme-challenge.loop2.example.test -> "
                        + "_acme-challenge.loop1.example.test");
    }

    @Test
    void aNameInNoZoneIsRefusedNamingEveryStepOfTheWalk() {
        RecordingProvider provider = new RecordingProvider();
        Dns01Responder solver = Dns01Responder.using(provider).resolver(PDNS.dnsAddress()).build();

        assertThatThrownBy(() -> solver.present(dns01("portal.nowhere.test", "tok-nowhere")))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("No DNS zone holds _acme-challenge.portal.nowhere.test: asked ["
                        + resolver() + "] for the SOA record of _acme-challenge.portal.nowhere.test (REFUSED, no SOA),"
                        + " portal.nowhere.test (REFUSED, no SOA), nowhere.test (REFUSED, no SOA), test (REFUSED, no SOA)");
        assertThat(provider.added).isEmpty();
    }

    @Test
    void theZoneIsFoundByWalkingUpFromADeepName() {
        RecordingProvider provider = new RecordingProvider();
        Dns01Responder solver = Dns01Responder.using(provider).resolver(PDNS.dnsAddress()).build();
        PendingChallenge challenge = dns01("a.b.c.delegated.test", "tok-deep");

        solver.present(challenge);
        solver.cleanUp(challenge);

        assertThat(provider.added).containsExactly("delegated.test _acme-challenge.a.b.c.delegated.test");
    }

    @Test
    void thePropagationCheckWaitsForTheSlowerOfTwoAuthoritativeServers() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T22:00:00Z"));
        List<Duration> waits = new ArrayList<>();
        PendingChallenge challenge = dns01("slow.two.test", "tok-slow");
        Dns01Responder solver = Dns01Responder.using(DnsProviders.create("powerdns", settings()))
                .resolver(PDNS.dnsAddress()).pollInterval(Duration.ofSeconds(2)).clock(clock)
                .sleeper(wait -> {
                    waits.add(wait);
                    clock.advance(wait);
                    if (waits.size() == 3) { // the second server gets the record late, as a slow secondary would
                        PDNS2.server().replaceTxt("two.test", "_acme-challenge.slow.two.test",
                                List.of(challenge.txtValue()));
                    }
                }).build();
        solver.present(challenge);

        solver.awaitReady(challenge, Duration.ofMinutes(1));

        assertThat(waits).as("it waited until the second server answered").hasSize(3);
        solver.cleanUp(challenge);
        PDNS2.server().replaceTxt("two.test", "_acme-challenge.slow.two.test", List.of());
    }

    @Test
    void thePropagationCheckGivesUpNamingTheServerThatNeverAnswered() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T22:00:00Z"));
        PendingChallenge challenge = dns01("never.two.test", "tok-never");
        Dns01Responder solver = Dns01Responder.using(DnsProviders.create("powerdns", settings()))
                .resolver(PDNS.dnsAddress()).propagationTimeout(Duration.ofSeconds(10)).pollInterval(Duration.ofSeconds(2))
                .clock(clock).sleeper(clock::advance).build();
        solver.present(challenge);

        assertThatThrownBy(() -> solver.awaitReady(challenge, Duration.ofMinutes(1)))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The TXT record _acme-challenge.never.two.test did not appear on [ns2.two.test ("
                        + PDNS2.address().getHostAddress() + ":53)] within PT10S")
                .hasMessageContaining("ns1.two.test (" + PDNS.address().getHostAddress() + ":53)");
        solver.cleanUp(challenge);
    }

    private static PendingChallenge dns01(String identifier, String token) {
        return PendingChallenge.of(ChallengeType.DNS_01, identifier, token, token + ".thumbprint");
    }
}
