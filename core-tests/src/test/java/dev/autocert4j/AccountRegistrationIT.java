package dev.autocert4j;

import dev.autocert4j.pkcs12.Pkcs12CertificateStore;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Session;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The account belongs to the CA: registered once (on the builder or by the admin's Register), stored
 * with its contacts and the accepted Terms of Service link, and used by every enrollment after, also
 * after a restart, against a real Pebble with the PKCS#12 store on disk.
 */
class AccountRegistrationIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static final String PORTAL = "http://portal.account.test:8080";
    private static final String SHOP = "http://shop.account.test:8080";

    @TempDir
    Path folder;

    private TestChallengeServer challenges;

    @BeforeEach
    void startChallenges() throws Exception {
        challenges = new TestChallengeServer(PEBBLE.httpChallengePort());
    }

    @AfterEach
    void stopChallenges() {
        challenges.close();
    }

    private Pkcs12CertificateStore store() {
        return new Pkcs12CertificateStore(folder.resolve("store"), "store password".toCharArray());
    }

    private AutoCert.Builder autoCert() {
        return Enrollments.autoCert(PEBBLE, new RecordingBindingProvider(PORTAL, SHOP), challenges, store());
    }

    private static EnrollmentRequest withoutAccount(String binding) {
        return EnrollmentRequest.builder().binding(Binding.parse(binding)).httpsPort(8443).build();
    }

    private static AccountRegistration account(URI terms, String... emails) {
        return AccountRegistration.builder().emails(List.of(emails)).termsOfServiceAccepted(terms).build();
    }

    @Test
    void registerThenEnrollWithoutAnyEmailAndReadTheAccountBackAfterARestart() throws Exception {
        URI terms;
        RegisteredAccount registered;
        try (AutoCert first = autoCert().build()) {
            assertThat(first.account()).as("nothing registered yet").isEmpty();
            terms = first.termsOfService().orElseThrow();

            registered = first.register(account(terms, "admin@account.test"));
            first.enroll(withoutAccount(PORTAL));

            assertThat(registered.contacts()).containsExactly("admin@account.test");
            assertThat(registered.acceptedTermsOfService()).contains(terms);
            assertThat(first.account()).contains(registered);
            assertThat(first.status("portal.account.test").serialNumber()).isNotNull();
        }
        assertThat(contactsAtTheCa()).containsExactly(URI.create("mailto:admin@account.test"));

        try (AutoCert restarted = autoCert().build()) {
            RegisteredAccount readBack = restarted.account().orElseThrow();
            assertThat(readBack.acceptedTermsOfService()).as("the accepted terms are recorded").contains(terms);
            assertThat(readBack.contacts()).containsExactly("admin@account.test");
            assertThat(readBack.location()).isEqualTo(registered.location());

            restarted.enroll(withoutAccount(SHOP));
            assertThat(store().loadAccount(PEBBLE.directoryUri()).orElseThrow().location())
                    .as("one account all along").isEqualTo(registered.location());
        }
    }

    @Test
    void enrollingWithoutAnyAccountIsRefusedBeforeAnyNetworkCall() {
        try (AutoCert autoCert = autoCert().build()) {
            assertThatThrownBy(() -> autoCert.enroll(withoutAccount(PORTAL)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("is not registered")
                    .hasMessageContaining("register(");
        }
        assertThat(store().loadAccount(PEBBLE.directoryUri())).isEmpty();
        assertThat(challenges.everPublishedCount()).isZero();
    }

    @Test
    void termsOtherThanTheCaLinksNowAreRefusedAndNothingIsRegistered() {
        try (AutoCert autoCert = autoCert().build()) {
            URI current = autoCert.termsOfService().orElseThrow();
            URI old = URI.create("https://ca.example/terms-of-last-year.pdf");

            assertThatThrownBy(() -> autoCert.register(account(old, "admin@account.test")))
                    .isInstanceOfSatisfying(TermsOfServiceChangedException.class,
                            e -> assertThat(e.termsOfService()).contains(current))
                    .hasMessageContaining(old.toString());
            assertThat(store().loadAccount(PEBBLE.directoryUri())).as("no key, no account").isEmpty();
            assertThat(autoCert.account()).isEmpty();
        }
    }

    @Test
    void registeringAgainChangesTheContactOfTheSameAccount() throws Exception {
        try (AutoCert autoCert = autoCert().build()) {
            URI terms = autoCert.termsOfService().orElseThrow();
            RegisteredAccount first = autoCert.register(account(terms, "admin@account.test"));

            RegisteredAccount second = autoCert.register(account(terms, "ops@account.test", "security@account.test"));

            assertThat(second.location()).isEqualTo(first.location());
            assertThat(second.contacts()).containsExactly("ops@account.test", "security@account.test");
            assertThat(contactsAtTheCa()).containsExactly(URI.create("mailto:ops@account.test"),
                    URI.create("mailto:security@account.test"));
            assertThat(store().loadAccount(PEBBLE.directoryUri()).orElseThrow().contacts())
                    .containsExactly("ops@account.test", "security@account.test");
        }
    }

    @Test
    void theAccountOnTheBuilderIsRegisteredWithTheFirstEnrollment() throws Exception {
        URI terms;
        try (AutoCert probe = autoCert().build()) {
            terms = probe.termsOfService().orElseThrow();
        }
        try (AutoCert autoCert = autoCert().account(account(terms, "builder@account.test")).build()) {
            autoCert.enroll(withoutAccount(PORTAL));

            RegisteredAccount registered = autoCert.account().orElseThrow();
            assertThat(registered.contacts()).containsExactly("builder@account.test");
            assertThat(registered.acceptedTermsOfService()).contains(terms);
        }
        assertThat(contactsAtTheCa()).containsExactly(URI.create("mailto:builder@account.test"));
    }

    @Test
    void aChangedContactOnTheBuilderBecomesTheRegisteredAccountsAfterARestart() throws Exception {
        URI terms;
        URI location;
        try (AutoCert probe = autoCert().build()) {
            terms = probe.termsOfService().orElseThrow();
        }
        try (AutoCert first = autoCert().account(account(terms, "old@account.test")).build()) {
            first.enroll(withoutAccount(PORTAL));
            location = first.account().orElseThrow().location();
        }

        try (AutoCert restarted = autoCert().account(account(terms, "new@account.test")).build()) {
            restarted.enroll(withoutAccount(SHOP));

            assertThat(restarted.account().orElseThrow().contacts()).containsExactly("new@account.test");
            assertThat(restarted.account().orElseThrow().location()).as("the same account").isEqualTo(location);
        }
        assertThat(contactsAtTheCa()).containsExactly(URI.create("mailto:new@account.test"));
    }

    @Test
    @SuppressWarnings("deprecation") // the old per-request path, kept for one release
    void theDeprecatedRequestEmailStillRegistersAndRecordsTheTermsShownThen() throws Exception {
        try (AutoCert autoCert = autoCert().build()) {
            URI terms = autoCert.termsOfService().orElseThrow();

            autoCert.enroll(Enrollments.request(PORTAL));

            RegisteredAccount registered = autoCert.account().orElseThrow();
            assertThat(registered.contacts()).containsExactly("admin@autocert4j.test");
            assertThat(registered.acceptedTermsOfService()).contains(terms);
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void theAccountsContactWinsOverALaterEnrollmentsEmail() throws Exception {
        try (AutoCert autoCert = autoCert().build()) {
            autoCert.register(account(autoCert.termsOfService().orElseThrow(), "admin@account.test"));

            autoCert.enroll(withoutAccount(PORTAL).toBuilder().email("someone-else@account.test")
                    .termsOfServiceAccepted(true).build());

            assertThat(contactsAtTheCa()).as("the last enrollment's email does not overwrite the account's")
                    .containsExactly(URI.create("mailto:admin@account.test"));
            assertThat(autoCert.account().orElseThrow().contacts()).containsExactly("admin@account.test");
        }
    }

    /** Reads the stored account's contacts from Pebble, signing with its key. */
    private List<URI> contactsAtTheCa() throws Exception {
        AcmeAccount stored = store().loadAccount(PEBBLE.directoryUri()).orElseThrow();
        org.shredzone.acme4j.Login login = new Session(PEBBLE.directoryUri(),
                new org.shredzone.acme4j.provider.GenericAcmeProvider() {
                    @Override
                    public java.net.http.HttpClient createHttpClient(org.shredzone.acme4j.connector.NetworkSettings settings) {
                        return PEBBLE.httpClient();
                    }
                }).login(stored.location().toURL(), stored.keyPair());
        org.shredzone.acme4j.Account account = login.getAccount();
        account.fetch();
        return account.getContacts();
    }
}
