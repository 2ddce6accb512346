package dev.autocert4j.dns;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.ChallengeResponderFactory;
import dev.autocert4j.spi.NamedPlugins;
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

    @Test
    void aResponderPublishesWaitsForTheServerAndWithdraws() throws Exception {
        Dns01Responder responder = Dns01Responder.using(provider()).propagationTimeout(Duration.ofSeconds(10)).build();

        responder.publish("*.example.test", "tok-1", "tok-1.thumbprint");

        String value = Dns01Responder.digest("tok-1.thumbprint");
        assertThat(DnsLookups.txtValues("_acme-challenge.example.test", BIND.address())).contains(value);
        responder.withdraw("tok-1");
        assertThat(DnsLookups.txtValues("_acme-challenge.example.test", BIND.address())).doesNotContain(value);
    }

    @Test
    void chosenByNameTheResponderPublishesOnTheServerAndWithdraws() throws Exception {
        Path key = BIND.server().writeKeyFile(folder.resolve("update.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        ChallengeResponder responder = NamedPlugins.create(ChallengeResponderFactory.class, "rfc2136", Map.of(
                "server", "127.0.0.1:" + BIND.address().getPort(), "tsig-file", key.toString(),
                "resolver", "127.0.0.1:" + BIND.address().getPort()), getClass().getClassLoader());

        responder.publish("example.test", "tok-2", "tok-2.thumbprint");

        String value = Dns01Responder.digest("tok-2.thumbprint");
        assertThat(DnsLookups.txtValues("_acme-challenge.example.test", BIND.address())).contains(value);
        responder.withdraw("tok-2");
        assertThat(DnsLookups.txtValues("_acme-challenge.example.test", BIND.address())).doesNotContain(value);
    }

    @Test
    void chosenByNameAKeyFileOtherUsersCanReadIsRefusedBeforeAnyUpdate() throws Exception {
        Path key = BIND.server().writeKeyFile(folder.resolve("shared.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> NamedPlugins.create(ChallengeResponderFactory.class, "rfc2136", Map.of(
                "server", "127.0.0.1:" + BIND.address().getPort(), "tsig-file", key.toString()), getClass().getClassLoader()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("can be read by other users")
                .hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> NamedPlugins.create(ChallengeResponderFactory.class, "rfc2136", Map.of(
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
