package dev.autocert4j;

import dev.autocert4j.pkcs12.Pkcs12CertificateStore;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.TestChallengeServer;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.PebbleExtension;
import dev.autocert4j.testkit.RecordingBindingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;

import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An enrollment's life against a real Pebble, with the PKCS#12 store on disk: remembered across a
 * restart, stopped, revoked, and the account's email and key changed.
 */
class EnrollmentLifecycleIT {

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.withDefaults();

    private static final String PORTAL = "http://portal.lifecycle.test:8080";
    private static final String SHOP = "http://shop.lifecycle.test:8080";

    @TempDir
    Path folder;

    private TestChallengeServer challenges;
    private final MutableClock clock = new MutableClock(Instant.now());

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

    private AutoCert autoCert(RecordingBindingProvider host) {
        return Enrollments.autoCert(PEBBLE, host, challenges, store()).clock(clock).build();
    }

    private static RecordingBindingProvider host() {
        return new RecordingBindingProvider(PORTAL, SHOP);
    }

    @Test
    void afterARestartStartAloneInstallsEveryStoredCertificateWithoutCallingTheCa() throws Exception {
        try (AutoCert first = autoCert(host())) {
            first.enroll(Enrollments.request(PORTAL));
            first.enroll(Enrollments.request(SHOP));
        }
        RecordingBindingProvider restartedHost = host();
        CertificateAuthority unreachable = CertificateAuthority.at(URI.create("https://127.0.0.1:" + closedPort() + "/dir"))
                .trusting(PEBBLE.trustFile());

        try (AutoCert restarted = AutoCert.builder().certificateAuthority(unreachable).bindingProvider(restartedHost)
                .challengeSolver(challenges).certificateStore(store()).clock(clock).build()) {
            restarted.start();

            assertThat(restartedHost.installed()).containsOnlyKeys(Binding.parse("https://portal.lifecycle.test:8443"),
                    Binding.parse("https://shop.lifecycle.test:8443"));
            assertThat(restarted.managedDomains()).containsExactlyInAnyOrder("portal.lifecycle.test", "shop.lifecycle.test");
            assertThat(restarted.enrollments()).containsExactlyInAnyOrder(Enrollments.request(PORTAL),
                    Enrollments.request(SHOP));
            CertificateStatus status = restarted.status("portal.lifecycle.test");
            assertThat(status.serialNumber()).isEqualTo(restartedHost.installed()
                    .get(Binding.parse("https://portal.lifecycle.test:8443")).metadata().serialNumber());
            assertThat(status.lastError()).isNull();
            assertThat(status.nextCheck()).isAfter(clock.instant());
        }
    }

    @Test
    void unmanageStopsRenewalAndStartNoLongerResumesIt() {
        RecordingBindingProvider host = host();
        String serial;
        try (AutoCert autoCert = autoCert(host)) {
            serial = autoCert.enroll(Enrollments.request(PORTAL)).serialNumber();
            autoCert.unmanage("portal.lifecycle.test");
            clock.advance(Duration.ofDays(80));
            autoCert.checkNow();
            assertThat(autoCert.managedDomains()).isEmpty();
        }
        try (AutoCert restarted = autoCert(host())) {
            restarted.start();
            restarted.checkNow();
            assertThat(restarted.managedDomains()).isEmpty();
        }
        assertThat(store().loadMetadata("portal.lifecycle.test").orElseThrow().serialNumber())
                .as("kept, not renewed").isEqualTo(serial);
    }

    @Test
    void revokingPutsANewCertificateInPlaceAndTheCaListsTheOldOneAsRevoked() {
        RecordingBindingProvider host = host();
        try (AutoCert autoCert = autoCert(host)) {
            IssuedCertificate old = issue(autoCert);

            CertificateStatus renewed = autoCert.revoke("portal.lifecycle.test", RevocationReason.SUPERSEDED);

            assertThat(renewed.serialNumber()).isNotEqualTo(old.metadata().serialNumber());
            assertThat(host.installed().get(Binding.parse("https://portal.lifecycle.test:8443")).metadata().serialNumber())
                    .isEqualTo(renewed.serialNumber());
            assertThat(PEBBLE.server().certificateStatus(old.leaf().getSerialNumber())).isEqualTo("Revoked");
            assertThat(PEBBLE.server().certificateStatus(new java.math.BigInteger(renewed.serialNumber(), 16)))
                    .isEqualTo("Valid");
        }
    }

    @Test
    void aCompromisedKeyIsRevokedWithARequestSignedByThatKey() {
        try (AutoCert autoCert = autoCert(host())) {
            IssuedCertificate old = issue(autoCert);

            autoCert.revoke("portal.lifecycle.test", RevocationReason.KEY_COMPROMISE);

            assertThat(PEBBLE.server().certificateStatus(old.leaf().getSerialNumber())).isEqualTo("Revoked");
        }
    }

    @Test
    void aRolledOverAccountKeepsItsUrlAndOnlyTheNewKeyWorks() throws Exception {
        try (AutoCert autoCert = autoCert(host())) {
            issue(autoCert);
            AcmeAccount before = store().loadAccount(PEBBLE.directoryUri()).orElseThrow();

            URI location = autoCert.rolloverAccountKey();

            AcmeAccount after = store().loadAccount(PEBBLE.directoryUri()).orElseThrow();
            assertThat(location).isEqualTo(before.location());
            assertThat(after.location()).isEqualTo(before.location());
            assertThat(after.keyPair().getPublic()).isNotEqualTo(before.keyPair().getPublic());
            assertThat(contacts(after.keyPair(), location)).containsExactly(URI.create("mailto:admin@autocert4j.test"));
            assertThatThrownBy(() -> contacts(before.keyPair(), location)).as("the old key no longer signs for the account")
                    .isInstanceOfAny(AcmeException.class, AcmeLazyLoadingException.class);
            assertThat(autoCert.renewNow("portal.lifecycle.test").lastError()).as("renewal signs with the new key").isNull();
        }
    }

    @Test
    @SuppressWarnings("deprecation") // a request's email, the deprecated way
    void aChangedEmailIsTheAccountsContactAtTheCaAndALaterEnrollmentsEmailDoesNotOverwriteIt() throws Exception {
        try (AutoCert autoCert = autoCert(host())) {
            issue(autoCert);
            AcmeAccount account = store().loadAccount(PEBBLE.directoryUri()).orElseThrow();

            autoCert.updateAccountEmail("security@lifecycle.test");
            assertThat(contacts(account.keyPair(), account.location()))
                    .containsExactly(URI.create("mailto:security@lifecycle.test"));

            autoCert.enroll(Enrollments.request(SHOP).toBuilder().email("ops@lifecycle.test").build());
            assertThat(contacts(account.keyPair(), account.location()))
                    .as("the account's contact wins over an enrollment's email")
                    .containsExactly(URI.create("mailto:security@lifecycle.test"));
            assertThat(autoCert.account().orElseThrow().contacts()).containsExactly("security@lifecycle.test");
            assertThat(store().loadAccount(PEBBLE.directoryUri()).orElseThrow().location())
                    .as("one account all along").isEqualTo(account.location());
        }
    }

    private IssuedCertificate issue(AutoCert autoCert) {
        autoCert.enroll(Enrollments.request(PORTAL));
        return store().loadCertificate("portal.lifecycle.test").orElseThrow();
    }

    /** Reads the account's contacts from Pebble, signing with the given key. */
    private static List<URI> contacts(KeyPair key, URI location) throws Exception {
        org.shredzone.acme4j.Login login = new Session(PEBBLE.directoryUri(),
                new org.shredzone.acme4j.provider.GenericAcmeProvider() {
                    @Override
                    public java.net.http.HttpClient createHttpClient(org.shredzone.acme4j.connector.NetworkSettings settings) {
                        return PEBBLE.httpClient();
                    }
                }).login(location.toURL(), key);
        org.shredzone.acme4j.Account account = login.getAccount();
        account.fetch();
        return account.getContacts();
    }

    private static int closedPort() throws Exception {
        return dev.autocert4j.testkit.Ports.free();
    }
}
