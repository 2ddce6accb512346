package dev.autocert4j.dns;

import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.ChallengeSolverFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.spi.PendingChallenge;
import dev.autocert4j.testkit.BindExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 2136 dynamic update with TSIG against a real BIND 9, its records read back from BIND itself. */
class Rfc2136ProviderIT {

    @RegisterExtension
    static final BindExtension BIND = new BindExtension("example.test");

    @TempDir
    Path folder;

    private Rfc2136Provider provider() throws Exception {
        return new Rfc2136Provider(BIND.address(),
                TsigKey.readBindKeyFile(BIND.server().writeKeyFile(folder.resolve("update.key"))));
    }

    @Test
    void addsTwoValuesForOneNameAndRemovesOneLeavingTheOther() throws Exception {
        Rfc2136Provider provider = provider();

        provider.addTxtRecord("example.test", "_acme-challenge.example.test", "first-value");
        provider.addTxtRecord("example.test", "_acme-challenge.example.test", "second-value");
        assertThat(DnsLookups.txtValues("_acme-challenge.example.test", BIND.address()))
                .containsExactlyInAnyOrder("first-value", "second-value");

        provider.removeTxtRecord("example.test", "_acme-challenge.example.test", "first-value");
        provider.removeTxtRecord("example.test", "_acme-challenge.example.test", "never-there");
        assertThat(DnsLookups.txtValues("_acme-challenge.example.test", BIND.address())).containsExactly("second-value");
    }

    @Test
    void aWrongKeyIsAClearError() {
        String wrongSecret = Base64.getEncoder().encodeToString(new byte[32]);
        Rfc2136Provider wrong = new Rfc2136Provider(BIND.address(), new TsigKey("autocert4j-update", "hmac-sha256", wrongSecret));

        assertThatThrownBy(() -> wrong.addTxtRecord("example.test", "_acme-challenge.example.test", "value"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("refused adding the TXT record _acme-challenge.example.test")
                .hasMessageContaining("the TSIG key is wrong");
    }

    @Test
    void theZoneIsFoundOnTheServerThatTakesUpdates() throws Exception {
        assertThat(DnsLookups.zoneOf("_acme-challenge.deep.portal.example.test", BIND.address(), false))
                .contains("example.test");
    }

    private static PendingChallenge dns01(String identifier, String token) {
        return PendingChallenge.of(ChallengeType.DNS_01, identifier, token, token + ".thumbprint");
    }

    @Test
    void aSolverPresentsWaitsForTheServerAndCleansUp() throws Exception {
        Dns01Responder solver = Dns01Responder.using(provider()).propagationTimeout(Duration.ofSeconds(10)).build();
        PendingChallenge wildcard = dns01("*.example.test", "tok-1");

        solver.present(wildcard);
        solver.awaitReady(wildcard, Duration.ofSeconds(10));

        assertThat(DnsLookups.txtValues("_acme-challenge.example.test", BIND.address())).contains(wildcard.txtValue());
        solver.cleanUp(wildcard);
        assertThat(DnsLookups.txtValues("_acme-challenge.example.test", BIND.address())).doesNotContain(wildcard.txtValue());
    }

    @Test
    void cleaningUpOneChallengeLeavesTheOtherValueAtTheSameName() throws Exception {
        Dns01Responder solver = Dns01Responder.using(provider()).propagationTimeout(Duration.ofSeconds(10)).build();
        PendingChallenge apex = dns01("both.example.test", "tok-apex");
        PendingChallenge wildcard = dns01("*.both.example.test", "tok-wild");
        solver.present(apex);
        solver.present(wildcard);

        solver.cleanUp(apex);
        solver.cleanUp(dns01("both.example.test", "tok-never-presented"));

        assertThat(DnsLookups.txtValues("_acme-challenge.both.example.test", BIND.address()))
                .containsExactly(wildcard.txtValue());
        solver.cleanUp(wildcard);
        assertThat(DnsLookups.txtValues("_acme-challenge.both.example.test", BIND.address())).isEmpty();
    }

    @Test
    void waitingForAValueNoServerAnswersEndsAtTheTimeoutNamingTheServer() throws Exception {
        Rfc2136Provider provider = provider();
        DnsProvider forgetful = new DnsProvider() {
            @Override
            public void addTxtRecord(String zone, String name, String value) {
                // accepted, never published: the propagation wait must not pass
            }

            @Override
            public void removeTxtRecord(String zone, String name, String value) {
                provider.removeTxtRecord(zone, name, value);
            }

            @Override
            public java.util.List<java.net.InetSocketAddress> authoritativeServers(String zone) {
                return provider.authoritativeServers(zone);
            }
        };
        Dns01Responder solver = Dns01Responder.using(forgetful).propagationTimeout(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(100)).build();
        PendingChallenge challenge = dns01("example.test", "tok-3");
        solver.present(challenge);

        assertThatThrownBy(() -> solver.awaitReady(challenge, Duration.ofMillis(500)))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("did not appear on")
                .hasMessageContaining(String.valueOf(BIND.address().getPort()))
                .hasMessageContaining("PT0.5S");
        solver.cleanUp(challenge);
    }

    /** The provider without naming its server, so the zone's NS records are asked, on the authoritative port. */
    private DnsProvider namingNoServer() throws Exception {
        Rfc2136Provider provider = provider();
        return new DnsProvider() {
            @Override
            public void addTxtRecord(String zone, String name, String value) {
                provider.addTxtRecord(zone, name, value);
            }

            @Override
            public void removeTxtRecord(String zone, String name, String value) {
                provider.removeTxtRecord(zone, name, value);
            }
        };
    }

    @Test
    void theAuthoritativePortOverrideIsWhereTheZonesNameServersAreAsked() throws Exception {
        PendingChallenge challenge = dns01("port.example.test", "tok-port");
        Dns01Responder onTheServersPort = Dns01Responder.using(namingNoServer()).resolver(BIND.address())
                .authoritativePort(BIND.address().getPort()).propagationTimeout(Duration.ofSeconds(10)).build();
        onTheServersPort.present(challenge);
        onTheServersPort.awaitReady(challenge, Duration.ofSeconds(10));
        onTheServersPort.cleanUp(challenge);

        Dns01Responder onPort53 = Dns01Responder.using(namingNoServer()).resolver(BIND.address())
                .propagationTimeout(Duration.ofMillis(300)).pollInterval(Duration.ofMillis(100)).build();
        onPort53.present(challenge);
        assertThatThrownBy(() -> onPort53.awaitReady(challenge, Duration.ofSeconds(10)))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("did not appear on [ns.example.test (127.0.0.1:53)]");
        onPort53.cleanUp(challenge);
    }

    @Test
    void chosenByNameTheSolverPresentsOnTheServerAndCleansUp() throws Exception {
        Path key = BIND.server().writeKeyFile(folder.resolve("update.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        ChallengeSolver solver = NamedPlugins.create(ChallengeSolverFactory.class, "rfc2136", Map.of(
                "server", "127.0.0.1:" + BIND.address().getPort(), "tsig-file", key.toString(),
                "resolver", "127.0.0.1:" + BIND.address().getPort()), getClass().getClassLoader());

        PendingChallenge challenge = dns01("example.test", "tok-2");

        solver.present(challenge);
        solver.awaitReady(challenge, Duration.ofSeconds(10));

        assertThat(solver.type()).isEqualTo(ChallengeType.DNS_01);
        assertThat(DnsLookups.txtValues("_acme-challenge.example.test", BIND.address())).contains(challenge.txtValue());
        solver.cleanUp(challenge);
        assertThat(DnsLookups.txtValues("_acme-challenge.example.test", BIND.address())).doesNotContain(challenge.txtValue());
    }

    @Test
    void chosenByNameAKeyFileOtherUsersCanReadIsRefusedBeforeAnyUpdate() throws Exception {
        Path key = BIND.server().writeKeyFile(folder.resolve("shared.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> NamedPlugins.create(ChallengeSolverFactory.class, "rfc2136", Map.of(
                "server", "127.0.0.1:" + BIND.address().getPort(), "tsig-file", key.toString()), getClass().getClassLoader()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("can be read by other users")
                .hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> NamedPlugins.create(ChallengeSolverFactory.class, "rfc2136", Map.of(
                "server", "ns1.example.test", "tsig-file", key.toString()), getClass().getClassLoader()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be HOST:PORT");
    }

    @Test
    void aKeyFileThatIsNotOneIsRefused() throws Exception {
        Path bad = Files.writeString(folder.resolve("bad.key"), "secret nothing;");

        assertThatThrownBy(() -> TsigKey.readBindKeyFile(bad)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("holds no 'key \"name\" { ... };' block");
        assertThat(new TsigKey("k", "HMAC-SHA256", "c2VjcmV0").toString()).isEqualTo("TsigKey[k, hmac-sha256]");
    }
}
