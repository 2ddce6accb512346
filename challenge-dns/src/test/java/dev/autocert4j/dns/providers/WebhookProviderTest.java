package dev.autocert4j.dns.providers;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.testkit.DnsProviderContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code webhook} provider against a hook that checks its signature and keeps the records. */
class WebhookProviderTest extends DnsProviderContract {

    private static final String SECRET = "3f9c1e7a5b2d4f6081a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1";

    @TempDir
    Path folder;

    private WebhookReceiver hook;

    @BeforeEach
    void startHook() {
        hook = new WebhookReceiver(SECRET);
    }

    @AfterEach
    void stopHook() {
        hook.close();
    }

    private DnsProvider provider(String secret, Clock clock) {
        return new WebhookProvider(URI.create(hook.url()), secret, Duration.ofSeconds(10), clock,
                duration -> { throw new AssertionError("no rate limit here"); });
    }

    @Override
    protected DnsProvider provider() {
        return provider(SECRET, Clock.systemUTC());
    }

    @Override
    protected String zone() {
        return "example.com";
    }

    @Override
    protected Set<String> txtValuesAt(String name) {
        return hook.txtValues(name);
    }

    @Test
    void theRequestIsTheDocumentedJsonSignedOverTheTimestampAndTheBody() throws Exception {
        Instant now = Instant.now();
        provider(SECRET, Clock.fixed(now, ZoneOffset.UTC)).addTxtRecord("example.com", "_acme-challenge.Portal.example.com",
                "abc-_123");

        WebhookReceiver.Received request = hook.received().get(0);
        assertThat(request.body())
                .isEqualTo("{\"action\":\"present\",\"fqdn\":\"_acme-challenge.portal.example.com.\",\"value\":\"abc-_123\"}");
        assertThat(request.timestamp()).isEqualTo(String.valueOf(now.getEpochSecond()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(request.signature()).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(
                (request.timestamp() + "." + request.body()).getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aWrongSecretIsRefusedByTheHookAndReportedAsARefusedCredential() {
        DnsProvider wrong = provider("0000000000000000000000000000000000000000", Clock.systemUTC());

        assertThatThrownBy(() -> wrong.addTxtRecord("example.com", "_acme-challenge.example.com", "value"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The webhook DNS API refused the credential: 'bad signature'")
                .hasMessageNotContaining(SECRET);
        assertThat(hook.txtValues("_acme-challenge.example.com")).isEmpty();
    }

    @Test
    void aRequestReplayedLaterIsRefusedByTheHook() {
        DnsProvider old = provider(SECRET, Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC));

        assertThatThrownBy(() -> old.addTxtRecord("example.com", "_acme-challenge.example.com", "value"))
                .hasMessageContaining("'stale timestamp'");
    }

    @Test
    void anAnswerOutsideTwoHundredIsAnErrorQuotingTheHook() {
        hook.answerWith(500, "{\"message\":\"DNS backend down\"}");
        assertThatThrownBy(() -> provider().addTxtRecord("example.com", "_acme-challenge.example.com", "v"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("failed with HTTP 500: 'DNS backend down'");

        hook.answerWith(422, "{\"error\":\"zone not managed here\"}");
        assertThatThrownBy(() -> provider().removeTxtRecord("example.com", "_acme-challenge.example.com", "v"))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("HTTP 422: 'zone not managed here'");

        hook.answerWith(302, "{}");
        assertThatThrownBy(() -> provider().removeTxtRecord("example.com", "_acme-challenge.example.com", "v"))
                .isInstanceOf(AutoCertException.class).hasMessageContaining("HTTP 302");
    }

    @Test
    void badInputNeverReachesTheHook() {
        assertThatThrownBy(() -> provider().addTxtRecord("example.com", "_acme-challenge.example.com\",\"action\":\"x",
                "v")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> provider().addTxtRecord("example.com", "example.org", "v"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not inside the zone");
        assertThat(hook.received()).isEmpty();
    }

    private DnsProvider fromSettings(Map<String, String> settings) {
        return NamedPlugins.create(DnsProviderFactory.class, "webhook", settings, getClass().getClassLoader());
    }

    @Test
    void chosenByNameItSignsWithTheSecretFromAnOwnerOnlyFile() throws Exception {
        Path secretFile = Secrets.ownerOnlyFile(folder, "hook.secret", SECRET);
        DnsProvider provider = fromSettings(Map.of("url", hook.url(), "secret-file", secretFile.toString()));

        provider.addTxtRecord("example.com", "_acme-challenge.example.com", "by-name");

        assertThat(hook.txtValues("_acme-challenge.example.com")).containsExactly("by-name");
        assertThat(provider.toString()).isEqualTo("WebhookProvider[" + hook.url() + "]");
    }

    @Test
    void chosenByNameAShortSecretAPlainHttpHookElsewhereOrAQueryIsRefused() throws Exception {
        Path shortSecret = Secrets.ownerOnlyFile(folder, "short.secret", "password123");
        Path secretFile = Secrets.ownerOnlyFile(folder, "hook.secret", SECRET);

        assertThatThrownBy(() -> fromSettings(Map.of("url", hook.url(), "secret-file", shortSecret.toString())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("shorter than 32 characters")
                .hasMessageNotContaining("password123");
        assertThatThrownBy(() -> fromSettings(Map.of("url", "http://hooks.example.com/dns", "secret-file",
                secretFile.toString()))).isInstanceOf(InvalidInputException.class).hasMessageContaining("must use https");
        assertThatThrownBy(() -> fromSettings(Map.of("url", hook.url() + "?token=abc", "secret-file",
                secretFile.toString()))).isInstanceOf(InvalidInputException.class).hasMessageContaining("must not hold")
                .hasMessageNotContaining("token=abc");
        assertThatThrownBy(() -> fromSettings(Map.of("url", hook.url())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("secret-file or secret-variable is required");
        assertThat(hook.received()).isEmpty();
    }

    @Test
    void theSecretIsNeverLogged() {
        DnsProvider provider = provider();

        String log = Secrets.logOf(() -> {
            provider.addTxtRecord("example.com", "_acme-challenge.logged.example.com", "v");
            provider(SECRET.substring(1) + "x", Clock.systemUTC())
                    .addTxtRecord("example.com", "_acme-challenge.logged.example.com", "v");
        });

        assertThat(log).contains("answered 204").contains("refused the credential").doesNotContain(SECRET);
    }
}
