package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.TestRenewalLock;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A keeper whose store is shared with other servers: it renews only under the store's renewal
 * lock, installs what another server renewed instead of ordering again, stops before the CA issues
 * when its lease is lost, and installs certificates other servers store as soon as it is told.
 */
class SharedStoreKeeperTest {

    private static final String DOMAIN = "portal.example.com";
    private static final Binding HTTPS = Binding.parse("https://portal.example.com:8443");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));
    private final TestRenewalLock lock = new TestRenewalLock();
    private final InMemoryCertificateStore store = new InMemoryCertificateStore().withRenewalLock(lock);
    private final RecordingBindingProvider host = new RecordingBindingProvider("http://portal.example.com:8080");
    private final FakeIssuer issuer = new FakeIssuer(clock);
    private java.util.function.IntConsumer onSleep = sleeps -> { };
    private int sleeps;
    /** Waiting moves the clock; the test says what happens elsewhere meanwhile. */
    private final dev.autocert4j.internal.Sleeper sleeper = duration -> {
        clock.advance(duration);
        onSleep.accept(++sleeps);
    };
    private final CertificateKeeper keeper = new CertificateKeeper(issuer, store, host, new InMemoryChallengeSolver(),
            new CertificateKeeper.Settings(RenewalPolicy.standard(), clock, new SplittableRandom(1), List.of(), false, 5,
                    KeyType.EC_P256, null, InstallVerifier.none(), sleeper));

    private IssuedCertificate dueCertificate() {
        return TestCertificates.issued(DOMAIN, clock.instant().minus(Duration.ofDays(80)), Duration.ofDays(90));
    }

    @Test
    void aDueRenewalWaitsWhileAnotherServerHoldsTheLockAndTheStatusSaysWho() {
        store.saveCertificate(dueCertificate());
        keeper.manage(Enrollments.request("http://portal.example.com:8080"), true);
        lock.heldBy("node-2");

        keeper.checkDue();

        assertThat(issuer.calls()).isZero();
        CertificateStatus status = keeper.status(DOMAIN);
        assertThat(status.lastError()).as("not a failure").isNull();
        assertThat(status.nextCheck()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(status.renewalLockHolder()).hasValueSatisfying(holder -> {
            assertThat(holder.owner()).isEqualTo("node-2");
            assertThat(holder.since()).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        });
    }

    @Test
    void aDueRenewalLooksAgainWhenTheHoldersLeaseWouldRunOutIfThatIsSooner() {
        store.saveCertificate(dueCertificate());
        keeper.manage(Enrollments.request("http://portal.example.com:8080"), true);
        lock.heldBy("node-2", clock.instant().plusSeconds(10));

        keeper.checkDue();

        assertThat(keeper.status(DOMAIN).nextCheck()).isEqualTo(clock.instant().plusSeconds(11));
    }

    @Test
    void renewNowWhileAnotherServerRenewsWaitsForItsCertificateAndInstallsIt() {
        store.saveCertificate(dueCertificate());
        keeper.manage(Enrollments.request("http://portal.example.com:8080"), true);
        lock.heldBy("node-2");
        IssuedCertificate renewedByNode2 = TestCertificates.issued(DOMAIN, clock.instant(), Duration.ofDays(90));
        onSleep = sleeps -> {
            if (sleeps == 3) {
                store.saveCertificate(renewedByNode2);
            }
        };

        CertificateStatus status = keeper.renewNow(DOMAIN);

        assertThat(issuer.calls()).as("no second order").isZero();
        assertThat(status.serialNumber()).isEqualTo(renewedByNode2.metadata().serialNumber());
        assertThat(host.installed().get(HTTPS)).isSameAs(renewedByNode2);
    }

    @Test
    void renewNowOrdersItselfWhenTheOtherServerGivesUpWithoutACertificate() {
        store.saveCertificate(dueCertificate());
        keeper.manage(Enrollments.request("http://portal.example.com:8080"), true);
        lock.heldBy("node-2");
        onSleep = sleeps -> {
            if (sleeps == 2) {
                lock.release();
            }
        };

        keeper.renewNow(DOMAIN);

        assertThat(issuer.issued).isEqualTo(1);
    }

    @Test
    void renewNowGivesUpAfterTenMinutesSayingWhoStillRenews() {
        store.saveCertificate(dueCertificate());
        keeper.manage(Enrollments.request("http://portal.example.com:8080"), true);
        lock.heldBy("node-2");

        assertThatThrownBy(() -> keeper.renewNow(DOMAIN)).isInstanceOf(AutoCertException.class)
                .hasMessageStartingWith("The certificate for portal.example.com is still being renewed by node-2 since")
                .hasMessageEndingWith("after 10 minutes; try again later");
        assertThat(issuer.calls()).isZero();
    }

    @Test
    void whatAnotherServerRenewedWhileThisOneWaitedForTheLockIsInstalledInsteadOfOrderingAgain() {
        store.saveCertificate(dueCertificate());
        keeper.manage(Enrollments.request("http://portal.example.com:8080"), true);
        IssuedCertificate renewedElsewhere = TestCertificates.issued(DOMAIN, clock.instant(), Duration.ofDays(90));
        lock.onGrant(() -> store.saveCertificate(renewedElsewhere));

        keeper.checkDue();

        assertThat(issuer.calls()).as("no second order").isZero();
        assertThat(host.installed().get(HTTPS)).isSameAs(renewedElsewhere);
        assertThat(lock.released()).isEqualTo(lock.granted()).isEqualTo(1);
    }

    @Test
    void aServerThatLostItsLeaseStopsBeforeTheCaIssuesAndKeepsItsCertificate() {
        IssuedCertificate working = dueCertificate();
        store.saveCertificate(working);
        keeper.manage(Enrollments.request("http://portal.example.com:8080"), true);
        lock.loseLeases();

        keeper.checkDue();

        assertThat(issuer.calls()).as("the order was placed").isEqualTo(1);
        assertThat(issuer.issued).as("but never finalized").isZero();
        assertThat(store.loadCertificate(DOMAIN)).contains(working);
        assertThat(keeper.status(DOMAIN).lastError()).contains("renewal lease of portal.example.com was lost");
        assertThat(lock.released()).isEqualTo(1);
    }

    @Test
    void aCertificateAnotherServerStoresIsInstalledWhenTheStoreSaysSo() {
        store.saveCertificate(TestCertificates.issued(DOMAIN, clock.instant().minus(Duration.ofDays(10)), Duration.ofDays(90)));
        keeper.manage(Enrollments.request("http://portal.example.com:8080"), true);
        IssuedCertificate renewedElsewhere = TestCertificates.issued(DOMAIN, clock.instant(), Duration.ofDays(90));
        store.saveCertificate(renewedElsewhere);

        keeper.storedCertificateChanged(DOMAIN);
        keeper.storedCertificateChanged("unmanaged.example.com");

        assertThat(host.installed().get(HTTPS)).isSameAs(renewedElsewhere);
        assertThat(issuer.calls()).isZero();
    }

    @Test
    void aServerThatStartedBeforeAnotherStoredTheFirstCertificateInstallsItInsteadOfOrderingASecond() {
        RecordingBindingProvider hostB = new RecordingBindingProvider("http://portal.example.com:8080");
        FakeIssuer issuerB = new FakeIssuer(clock);
        CertificateKeeper keeperB = new CertificateKeeper(issuerB, store, hostB, new InMemoryChallengeSolver(),
                new CertificateKeeper.Settings(RenewalPolicy.standard(), clock, new SplittableRandom(2), List.of(), false, 5,
                        KeyType.EC_P256, null, InstallVerifier.none(), sleeper));
        CertificateStatus startedB = keeperB.manage(Enrollments.request("http://portal.example.com:8080"), true);
        assertThat(startedB.serialNumber()).as("nothing stored when B started").isNull();

        CertificateStatus obtainedByA = keeper.enroll(Enrollments.request("http://portal.example.com:8080"));
        CertificateStatus enrolledOnB = keeperB.enroll(Enrollments.request("http://portal.example.com:8080"));

        assertThat(issuerB.calls()).as("B read the store again under the lease: no second order").isZero();
        assertThat(enrolledOnB.serialNumber()).isEqualTo(obtainedByA.serialNumber());
        assertThat(hostB.installed().get(HTTPS).metadata().serialNumber()).isEqualTo(obtainedByA.serialNumber());
        assertThat(lock.released()).isEqualTo(lock.granted()).isEqualTo(2);
    }
}
