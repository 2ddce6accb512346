package dev.autocert4j.dns.providers;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.dns.internal.Json;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.NamedPlugins;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code acme-dns} provider against a server that behaves as joohoi acme-dns does. acme-dns keeps
 * two values per account and deletes none, so this provider cannot pass the whole provider contract;
 * these tests check what it does instead.
 */
class AcmeDnsProviderTest {

    private static final String VALUE_1 = "a".repeat(43);
    private static final String VALUE_2 = "B-_" + "b".repeat(40);
    private static final String VALUE_3 = "c".repeat(43);

    @TempDir
    Path folder;

    private AcmeDnsStub acmeDns;
    private Path accountsFile;

    @BeforeEach
    void start() {
        acmeDns = new AcmeDnsStub();
        accountsFile = folder.resolve("state").resolve("acme-dns.json");
    }

    @AfterEach
    void stop() {
        acmeDns.close();
    }

    private DnsProvider provider(Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("api-url", acmeDns.baseUrl(),
                "accounts-file", accountsFile.toString()));
        settings.putAll(extra);
        return NamedPlugins.create(DnsProviderFactory.class, "acme-dns", settings, getClass().getClassLoader());
    }

    private DnsProvider provider() {
        return provider(Map.of());
    }

    /** The fulldomain the error asked the admin to point the CNAME at. */
    private String registerAndReadFullDomain(DnsProvider provider, String domain) {
        try {
            provider.addTxtRecord(domain, "_acme-challenge." + domain, VALUE_1);
            throw new AssertionError("the first use must ask for the CNAME");
        } catch (AutoCertException e) {
            String message = e.getMessage();
            String start = "CNAME ";
            return message.substring(message.indexOf(start) + start.length(), message.indexOf(".' in the zone"));
        }
    }

    @Test
    void theFirstUseRegistersKeepsTheAccountOwnerOnlyAndNamesTheCnameToCreate() throws Exception {
        DnsProvider provider = provider();

        assertThatThrownBy(() -> provider.addTxtRecord("example.com", "_acme-challenge.portal.example.com", VALUE_1))
                .isInstanceOf(AutoCertException.class)
                .hasMessageMatching("acme-dns needs the DNS record '_acme-challenge\\.portal\\.example\\.com\\. CNAME "
                        + "[0-9a-f-]{36}\\.auth\\.example\\.org\\.' in the zone of portal\\.example\\.com, which is not"
                        + " there yet: create it, then try again .*")
                .hasMessageContaining(accountsFile.toString());

        assertThat(acmeDns.registrations()).isEqualTo(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(accountsFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(accountsFile.getParent())))
                .isEqualTo("rwx------");
        Map<String, Object> saved = Json.asObject(Json.asObject(Json.parse(Files.readString(accountsFile)), "file")
                .get("portal.example.com"), "entry");
        assertThat(saved).containsKeys("username", "password", "subdomain", "fulldomain")
                .containsEntry("server_url", acmeDns.baseUrl());
    }

    @Test
    void withoutTheCnameTheSameAccountIsNamedAgainAndNotRegisteredTwice() {
        String fullDomain = registerAndReadFullDomain(provider(), "example.com");

        assertThatThrownBy(() -> provider().addTxtRecord("example.com", "_acme-challenge.example.com", VALUE_2))
                .hasMessageContaining("CNAME " + fullDomain + ".");
        assertThat(acmeDns.registrations()).isEqualTo(1);
        assertThat(acmeDns.txtValues(fullDomain)).isEmpty();
    }

    @Test
    void throughTheCnameTheValueIsSetWithTheAccountsCredentialsAndTwoAreKept() {
        String fullDomain = registerAndReadFullDomain(provider(), "example.com");
        DnsProvider provider = provider();

        provider.addTxtRecord("auth.example.org", fullDomain, VALUE_1);
        provider.addTxtRecord("auth.example.org", fullDomain + ".", VALUE_2);
        assertThat(acmeDns.txtValues(fullDomain)).containsExactlyInAnyOrder(VALUE_1, VALUE_2);

        provider.addTxtRecord("auth.example.org", fullDomain, VALUE_3); // acme-dns pushes the oldest out
        assertThat(acmeDns.txtValues(fullDomain)).containsExactlyInAnyOrder(VALUE_2, VALUE_3);
        assertThat(acmeDns.registrations()).isEqualTo(1);
    }

    @Test
    void removingSendsNothingBecauseAcmeDnsCannotDeleteAndTheValueStays() {
        String fullDomain = registerAndReadFullDomain(provider(), "example.com");
        DnsProvider provider = provider();
        provider.addTxtRecord("auth.example.org", fullDomain, VALUE_1);
        int requests = acmeDns.requests().size();

        provider.removeTxtRecord("auth.example.org", fullDomain, VALUE_1);
        provider.removeTxtRecord("example.com", "_acme-challenge.example.com", VALUE_2);

        assertThat(acmeDns.requests()).hasSize(requests);
        assertThat(acmeDns.txtValues(fullDomain)).containsExactly(VALUE_1);
        assertThatThrownBy(() -> provider.removeTxtRecord("auth.example.org", fullDomain, "not an ACME value"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aWrongPasswordIsARefusedCredentialThatNeverShowsThePassword() throws Exception {
        String fullDomain = registerAndReadFullDomain(provider(), "example.com");
        String text = Files.readString(accountsFile);
        String password = Json.string(Json.asObject(Json.asObject(Json.parse(text), "file").get("example.com"), "e"),
                "password");
        Files.writeString(accountsFile, text.replace(password, password.substring(1) + "Z"));

        assertThatThrownBy(() -> provider().addTxtRecord("auth.example.org", fullDomain, VALUE_1))
                .isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The acme-dns DNS API refused the credential: 'forbidden'")
                .hasMessageContaining("allowfrom")
                .hasMessageNotContaining(password.substring(1));
    }

    @Test
    void allowFromIsSentWithTheRegistration() {
        registerAndReadFullDomain(provider(Map.of("allow-from", "192.0.2.0/24, 2001:db8::/32")), "example.com");

        acmeDns.server().verify(postRequestedFor(urlEqualTo("/register"))
                .withRequestBody(equalToJson("{\"allowfrom\":[\"192.0.2.0/24\",\"2001:db8::/32\"]}")));
        assertThatThrownBy(() -> provider(Map.of("allow-from", "everyone")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("CIDR");
    }

    @Test
    void aRegistrationAnswerThatCannotBeAnAccountIsRefusedAndNotSaved() {
        acmeDns.answerNextRegistrationWith(Map.of("username", "u", "password", "p", "subdomain", "x",
                "fulldomain", "x.auth.example.org.\nevil CNAME attacker.example"));

        assertThatThrownBy(() -> provider().addTxtRecord("example.com", "_acme-challenge.example.com", VALUE_1))
                .isInstanceOf(AutoCertException.class)
                .hasMessageContaining("answered the registration with an account that cannot be used: its fulldomain is"
                        + " not a DNS name");
        assertThat(accountsFile).doesNotExist();
    }

    @Test
    void aValueAcmeDnsWouldRefuseAndANameNoAccountHasAreRefusedBeforeAnyRequest() {
        DnsProvider provider = provider();

        assertThatThrownBy(() -> provider.addTxtRecord("example.com", "_acme-challenge.example.com", "short"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("43 characters of base64url");
        assertThatThrownBy(() -> provider.addTxtRecord("example.com", "www.example.com", VALUE_1))
                .isInstanceOf(AutoCertException.class).hasMessageContaining("www.example.com is none");
        acmeDns.server().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anAccountsFileOthersCanReadOrAFolderOthersCanWriteIsRefusedBeforeAnyRequest() throws Exception {
        Files.createDirectories(accountsFile.getParent());
        Files.writeString(accountsFile, "{}");
        Files.setPosixFilePermissions(accountsFile, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(this::provider).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("can be read or changed by other users");

        Files.setPosixFilePermissions(accountsFile, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(accountsFile.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(this::provider).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("other users may write to it");

        assertThatThrownBy(() -> provider(Map.of("api-url", "http://auth.example.org")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must use https");
        acmeDns.server().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anAccountOfAnotherServerIsNotUsedWithThisOne() throws Exception {
        String fullDomain = registerAndReadFullDomain(provider(), "example.com");
        Files.writeString(accountsFile, Files.readString(accountsFile).replace(acmeDns.baseUrl(), "https://old.example"));

        assertThatThrownBy(() -> provider().addTxtRecord("auth.example.org", fullDomain, VALUE_1))
                .isInstanceOf(AutoCertException.class).hasMessageContaining("belongs to https://old.example");
    }

    @Test
    void thePasswordIsNeverLogged() throws Exception {
        String log = Secrets.logOf(() -> {
            String fullDomain = registerAndReadFullDomain(provider(), "example.com");
            provider().addTxtRecord("auth.example.org", fullDomain, VALUE_1);
            provider().removeTxtRecord("auth.example.org", fullDomain, VALUE_1);
        });
        String password = Json.string(Json.asObject(Json.asObject(Json.parse(Files.readString(accountsFile)), "file")
                .get("example.com"), "e"), "password");

        assertThat(log).contains("Registered the acme-dns account").contains("answered 200")
                .contains("acme-dns cannot delete").doesNotContain(password);
        assertThat(provider().toString()).doesNotContain(password);
    }
}
