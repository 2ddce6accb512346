package dev.autocert4j;

import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.FakeAcmeServer;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.PowerDnsExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With several CAs, one the CAA records forbid is passed over before any order, and the next CA
 * the records allow issues in the same attempt. The first CA is known by the {@code caaIdentities}
 * of its directory, Pebble (whose directory lists none) by the identity configured; the records sit
 * in a real PowerDNS.
 */
class CaaFallbackIT {

    private static final int CHALLENGE_PORT = Ports.free();

    @RegisterExtension
    static final PowerDnsExtension PDNS = new PowerDnsExtension().zone("test")
            .zone("caa-fallback.test", "@ CAA 0 issue \"pebble.test\"", "@ CAA 0 iodef \"mailto:admin@caa-fallback.test\"");
    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().httpChallengePort(CHALLENGE_PORT);

    private static TestChallengeServer challenges;

    @BeforeAll
    static void answerChallenges() throws Exception {
        challenges = new TestChallengeServer(CHALLENGE_PORT);
    }

    @AfterAll
    static void stopAnswering() {
        challenges.close();
    }

    @Test
    void aCaTheRecordsForbidIsSkippedWithoutAnOrderAndTheNextIssues(@TempDir Path folder) throws Exception {
        CaaCheck check = CaaCheck.standard().withResolvers(List.of(PDNS.dnsAddress()));
        String binding = "http://caa-fallback.test:8080";
        try (FakeAcmeServer scripted = new FakeAcmeServer(folder);
             AutoCert autoCert = AutoCert.builder()
                     .certificateAuthorities(scripted.certificateAuthority().withCaaCheck(check),
                             PEBBLE.certificateAuthority().named("Pebble")
                                     .withCaaCheck(check.withIdentities(List.of("pebble.test"))))
                     .bindingProvider(new RecordingBindingProvider(binding))
                     .challengeSolver(challenges)
                     .certificateStore(new InMemoryCertificateStore())
                     .networkTimeout(Duration.ofSeconds(5))
                     .build()) {
            scripted.withDirectory("{\"caaIdentities\":[\"fake-ca.example\"]}").issuing();
            int pebbleOrders = PEBBLE.server().orderCount();

            CertificateStatus status = autoCert.enroll(Enrollments.request(binding));

            assertThat(status.certificateAuthority()).contains(PEBBLE.directoryUri());
            assertThat(status.skippedAuthorities().orElseThrow()).startsWith("Fake CA was skipped: CAA at caa-fallback.test"
                    + " forbids issuance by fake-ca.example: 0 issue \"pebble.test\" (for caa-fallback.test).");
            scripted.wireMock().verify(0, postRequestedFor(urlEqualTo("/order")));
            assertThat(PEBBLE.server().orderCount()).isEqualTo(pebbleOrders + 1);
        }
    }
}
