package dev.autocert4j.examples;

import dev.autocert4j.Binding;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoOptionsTest {

    @Test
    void parsesTheWholeCommandLine() throws Exception {
        DemoOptions options = DemoOptions.parse("--acme", "acme://letsencrypt.org/staging", "--listen",
                "http://portal.example.com:8080", "--binding", "http://portal.example.com:8080", "--https-port", "8443",
                "--email", "admin@example.com", "--accept-tos", "--renew-within", "30d", "--check-every", "12h", "--once");

        assertThat(options.acme).containsExactly(java.net.URI.create("acme://letsencrypt.org/staging"));
        assertThat(options.binding).isEqualTo(Binding.parse("http://portal.example.com:8080"));
        assertThat(options.httpsPort).isEqualTo(8443);
        assertThat(options.renewWithin).isEqualTo(Duration.ofDays(30));
        assertThat(options.checkEvery).isEqualTo(Duration.ofHours(12));
        assertThat(options.command).isEqualTo(DemoOptions.Command.ONCE);
    }

    @Test
    void severalCasAreKeptInTheirOrderAndEveryTrustFileAppliesToAll() throws Exception {
        DemoOptions options = DemoOptions.parse("--acme", "https://first.example.com/dir", "--acme",
                "acme://letsencrypt.org", "--acme-trust", "first.pem", "--acme-trust", "second.pem", "--listen",
                "http://portal.example.com:8080");

        assertThat(options.acme).containsExactly(java.net.URI.create("https://first.example.com/dir"),
                java.net.URI.create("acme://letsencrypt.org"));
        assertThat(options.acmeTrust).containsExactly(java.nio.file.Path.of("first.pem"), java.nio.file.Path.of("second.pem"));
    }

    @Test
    void theBindingToSecureIsAlsoListenedOn() throws Exception {
        DemoOptions options = DemoOptions.parse("--binding", "http://portal.example.com:8080", "--email", "a@example.com",
                "--accept-tos");

        assertThat(options.listen).containsExactly(Binding.parse("http://portal.example.com:8080"));
    }

    @Test
    void readsDurationsInShortAndIsoForm() throws Exception {
        assertThat(DemoOptions.duration("--x", "21d")).isEqualTo(Duration.ofDays(21));
        assertThat(DemoOptions.duration("--x", "90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DemoOptions.duration("--x", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DemoOptions.duration("--x", "PT24H")).isEqualTo(Duration.ofHours(24));
        assertThatThrownBy(() -> DemoOptions.duration("--renew-within", "soon"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--renew-within 'soon' is not a duration like 21d, 24h, 90m or PT24H");
        assertThatThrownBy(() -> DemoOptions.duration("--x", "0d")).isInstanceOf(UsageException.class);
    }

    @Test
    void onceWithoutABindingNeedsNoEmailNorListenerItChecksWhatIsStored() throws UsageException {
        DemoOptions options = DemoOptions.parse("--once", "--state", "/var/lib/portal");

        assertThat(options.command).isEqualTo(DemoOptions.Command.ONCE);
        assertThat(options.binding).isNull();
        assertThat(options.listen).isEmpty();
    }

    @Test
    void rejectsWhatCannotRun() {
        assertThatThrownBy(() -> DemoOptions.parse("--frobnicate"))
                .isInstanceOf(UsageException.class).hasMessage("unknown option '--frobnicate'");
        assertThatThrownBy(() -> DemoOptions.parse("--once", "--status"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--once, --status, --revoke, --rollover-account-key and --unmanage exclude each other");
        assertThatThrownBy(() -> DemoOptions.parse("--revoke", "--listen", "http://a.example.com"))
                .isInstanceOf(UsageException.class).hasMessage("--revoke needs --binding: which certificate?");
        assertThatThrownBy(() -> DemoOptions.parse("--unmanage"))
                .isInstanceOf(UsageException.class).hasMessage("--unmanage needs --binding: which certificate?");
        assertThatThrownBy(() -> DemoOptions.parse("--revoke", "--binding", "http://a.example.com", "--reason", "boredom"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("--reason 'boredom' is not one of superseded,");
        assertThatThrownBy(() -> DemoOptions.parse("--once", "--binding", "http://a.example.com"))
                .isInstanceOf(UsageException.class).hasMessage("--once --binding needs --email and --accept-tos to enroll it");
        assertThatThrownBy(() -> DemoOptions.parse("--once", "--binding", "http://a.example.com", "--email", "a@example.com"))
                .isInstanceOf(UsageException.class).hasMessage("--once --binding needs --email and --accept-tos to enroll it");
        for (List<String> enrollmentOption : List.of(List.of("--email", "a@example.com"), List.of("--accept-tos"),
                List.of("--extra-name", "www.example.com"), List.of("--https-port", "8443"))) {
            List<String> args = new java.util.ArrayList<>(List.of("--once"));
            args.addAll(enrollmentOption);
            assertThatThrownBy(() -> DemoOptions.parse(args.toArray(new String[0]))).as(args.toString())
                    .isInstanceOf(UsageException.class).hasMessage("--once without --binding checks every stored"
                            + " certificate as it was enrolled; --email, --accept-tos, --extra-name and --https-port"
                            + " enroll one and go with --binding");
        }
        assertThatThrownBy(() -> DemoOptions.parse("--listen", "https://a.example.com"))
                .isInstanceOf(UsageException.class).hasMessageContaining("the demo listens on plain HTTP");
        assertThatThrownBy(() -> DemoOptions.parse("--email"))
                .isInstanceOf(UsageException.class).hasMessage("--email needs a value");
        assertThatThrownBy(() -> DemoOptions.parse("--listen", "ftp://a.example.com"))
                .isInstanceOf(UsageException.class).hasMessageContaining("scheme 'ftp'");
    }

    @Test
    void readsTheAccountAndCertificateActions() throws Exception {
        DemoOptions revoke = DemoOptions.parse("--revoke", "--binding", "http://portal.example.com:8080", "--reason",
                "key-compromise");
        assertThat(revoke.command).isEqualTo(DemoOptions.Command.REVOKE);
        assertThat(revoke.reason).isEqualTo(dev.autocert4j.RevocationReason.KEY_COMPROMISE);
        assertThat(DemoOptions.parse("--revoke", "--binding", "http://portal.example.com:8080").reason)
                .as("the default reason").isEqualTo(dev.autocert4j.RevocationReason.SUPERSEDED);
        assertThat(DemoOptions.parse("--rollover-account-key").command).isEqualTo(DemoOptions.Command.ROLLOVER_ACCOUNT_KEY);
        assertThat(DemoOptions.parse("--unmanage", "--binding", "http://portal.example.com:8080").command).isEqualTo(DemoOptions.Command.UNMANAGE);
    }

    @Test
    void aPasswordInTheStoreUrlIsRefusedWithWhereToPutItAndIsNeverEchoed() {
        for (String url : new String[]{"jdbc:postgresql://db:5432/portal?user=portal&password=s3cr3t",
                "jdbc:postgresql://db/portal?password=s3cr3t", "jdbc:postgresql://db/portal?user=portal&PASSWORD=s3cr3t",
                "jdbc:postgresql://db/portal?sslpassword=s3cr3t", "jdbc:postgresql://db/portal?pass%77ord=s3cr3t",
                "jdbc:postgresql://portal:s3cr3t@db:5432/portal"}) {
            assertThatThrownBy(() -> DemoOptions.parse("--store", url, "--store-key-file", "k", "--status"))
                    .as(url).isInstanceOf(UsageException.class)
                    .hasMessageContaining("--store: the URL holds a password")
                    .hasMessageContaining("--store-password-file F")
                    .hasMessageContaining(DemoOptions.STORE_PASSWORD_VARIABLE)
                    .hasMessageNotContaining("s3cr3t");
        }
    }

    @Test
    void aStoreUrlWithoutAPasswordAndThePasswordFileAreTaken() throws Exception {
        DemoOptions options = DemoOptions.parse("--store", "jdbc:postgresql://db:5432/portal?user=portal&ssl=true",
                "--store-key-file", "k", "--store-password-file", "/etc/portal/db.password", "--status");

        assertThat(options.store).isEqualTo("jdbc:postgresql://db:5432/portal?user=portal&ssl=true");
        assertThat(options.storePasswordFile).isEqualTo(java.nio.file.Path.of("/etc/portal/db.password"));
        assertThatThrownBy(() -> DemoOptions.parse("--store-password-file", "p", "--status"))
                .isInstanceOf(UsageException.class).hasMessageContaining("go with --store");
    }

    @Test
    void onDemandTakesTheAskUrlAndALimitOfNewNamesPerPeriod() throws Exception {
        DemoOptions options = DemoOptions.parse("--listen", "http://portal.example.com:8080", "--https-port", "8443",
                "--on-demand-ask", "http://127.0.0.1:9000/allowed", "--on-demand-limit", "5/10m");

        assertThat(options.onDemandAsk).hasToString("http://127.0.0.1:9000/allowed");
        assertThat(options.onDemandLimit).isEqualTo(dev.autocert4j.RateLimit.of(5, Duration.ofMinutes(10)));
    }

    @Test
    void onDemandIsRefusedWithoutItsGuardOrItsPort() {
        assertThatThrownBy(() -> DemoOptions.parse("--listen", "http://portal.example.com:8080", "--https-port", "8443",
                "--on-demand-limit", "5/10m"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--on-demand-limit goes with --on-demand-ask: on-demand issuance needs its guard");
        assertThatThrownBy(() -> DemoOptions.parse("--listen", "http://portal.example.com:8080", "--on-demand-ask",
                "http://127.0.0.1:9000/allowed"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--on-demand-ask needs --https-port: the port new names are served on");
        assertThatThrownBy(() -> DemoOptions.parse("--listen", "http://portal.example.com:8080", "--https-port", "8443",
                "--on-demand-ask", "file:///etc/passwd"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--on-demand-ask 'file:///etc/passwd' must be an http or https URL");
        for (String limit : List.of("5", "0/1m", "x/1m", "5/soon", "/1m")) {
            assertThatThrownBy(() -> DemoOptions.parse("--listen", "http://portal.example.com:8080", "--https-port",
                    "8443", "--on-demand-ask", "http://127.0.0.1:9000/allowed", "--on-demand-limit", limit))
                    .as(limit).isInstanceOf(UsageException.class)
                    .hasMessageContaining("must be N/PERIOD such as 10/1m");
        }
    }
}
