package dev.autocert4j.http;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pebble validates real challenges on the standalone listener while an attacker asks it for
 * made-up tokens about 200 times a second from other loopback addresses: every validation must
 * succeed, on a single server and on a cluster node answering another node's tokens.
 */
class TokenFloodPebbleIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    /** The attacker's rate; {@code -Dflood.perSecond=N} measures others. */
    private static final int FLOOD_PER_SECOND = Integer.getInteger("flood.perSecond", 200);
    private static final int FEW_ADDRESSES = 8;
    private static final int MANY_ADDRESSES = 200;
    private static final int MAX_FLOOD_REQUESTS = 6_000;
    private static final Duration MAX_FLOOD_DURATION = Duration.ofSeconds(30);
    private static final int NAMES = 6;

    private static InetSocketAddress challengeAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), PEBBLE.httpChallengePort());
    }

    /** Obtains a certificate for each of {@link #NAMES} names while the flood runs; returns their statuses. */
    private static List<CertificateStatus> validateWhileFlooded(String prefix, ChallengeSolver publisher,
                                                                int floodAddresses) throws Exception {
        List<String> bindings = IntStream.range(0, NAMES).mapToObj(i -> "http://" + prefix + i + ".flood.test:80").toList();
        try (TokenFlood flood = TokenFlood.start(challengeAddress(), FLOOD_PER_SECOND, floodAddresses,
                MAX_FLOOD_REQUESTS, MAX_FLOOD_DURATION);
             AutoCert autoCert = AutoCert.builder().certificateAuthority(PEBBLE.certificateAuthority())
                     .bindingProvider(new RecordingBindingProvider(bindings.toArray(new String[0])))
                     .challengeSolver(publisher).certificateStore(new InMemoryCertificateStore())
                     .concurrentIssuance(3).build()) {
            assertThat(flood.awaitFirstSecond(Duration.ofSeconds(10))).as("the flood is under way").isTrue();
            bindings.forEach(binding -> autoCert.manage(EnrollmentRequest.builder().binding(Binding.parse(binding))
                    .httpsPort(443).email("admin@autocert4j.test").termsOfServiceAccepted(true).build()));

            autoCert.checkNow();

            List<CertificateStatus> statuses = autoCert.managedDomains().stream().map(autoCert::status).toList();
            int sentWhileValidating = flood.sent();
            assertThat(flood.awaitFinished(Duration.ofSeconds(30))).as("the flood stops by itself").isTrue();
            System.out.println("Flood: " + flood.summary());
            assertThat(sentWhileValidating).as("the flood ran throughout the validations").isGreaterThan(FLOOD_PER_SECOND);
            assertThat(flood.answered404()).as("the listener kept answering the attacker too").isPositive();
            return statuses;
        }
    }

    private static void assertAllValidated(List<CertificateStatus> statuses) {
        assertThat(statuses).hasSize(NAMES);
        assertThat(statuses).allSatisfy(status -> {
            assertThat(status.lastError()).as(status.domain()).isNull();
            assertThat(status.serialNumber()).as(status.domain()).isNotNull();
        });
    }

    @Test
    void everyRealValidationSucceedsWhileMadeUpTokensFloodTheListener() throws Exception {
        Http01Responder responder = Http01Responder.checkingHost();
        try (Http01Listener listener = Http01Listener.start(responder, challengeAddress())) {
            assertThat(listener.address().getPort()).isEqualTo(PEBBLE.httpChallengePort());
            assertAllValidated(validateWhileFlooded("single", responder, FEW_ADDRESSES));
        }
        assertThat(responder.publishedCount()).isZero();
    }

    @Test
    void aClusterNodeAnswersEveryTokenAnotherNodePublishedWhileAFewAddressesFloodIt() throws Exception {
        validateThroughAnotherNode("few", FEW_ADDRESSES);
    }

    @Test
    void aClusterNodeAnswersEveryTokenAnotherNodePublishedWhileManyAddressesFloodIt() throws Exception {
        validateThroughAnotherNode("many", MANY_ADDRESSES);
    }

    /** One node orders and publishes; the CA reaches only the other, which answers from the shared store. */
    private static void validateThroughAnotherNode(String prefix, int floodAddresses) throws Exception {
        CountingTokenStore shared = new CountingTokenStore();
        Http01Responder orderingNode = Http01Responder.sharedThrough(shared);
        Http01Responder answeringNode = Http01Responder.sharedThrough(shared);
        try (Http01Listener listener = Http01Listener.start(answeringNode, challengeAddress())) {
            assertThat(listener.address().getPort()).isEqualTo(PEBBLE.httpChallengePort());
            assertAllValidated(validateWhileFlooded(prefix, orderingNode, floodAddresses));
        }
        System.out.println("Shared store lookups: " + shared.lookups.get());
        assertThat(answeringNode.publishedCount()).as("every answer came from the shared store").isZero();
        assertThat(shared.tokens).as("withdrawn").isEmpty();
    }
}
