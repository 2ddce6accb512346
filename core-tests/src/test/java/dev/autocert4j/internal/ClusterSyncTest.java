package dev.autocert4j.internal;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.TestRenewalLock;
import dev.autocert4j.testkit.ForwardingCertificateStore;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class ClusterSyncTest {

    private static final String DOMAIN = "example.com";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));
    private final InMemoryCertificateStore store = new InMemoryCertificateStore();
    private final EnrollmentRegistry registry = new EnrollmentRegistry(clock);
    private final CheckSchedule schedule = new CheckSchedule(RenewalPolicy.standard(), new SplittableRandom(1));
    private final Installer installer = new Installer(new StoredCertificates(store),
            new RecordingBindingProvider("http://example.com:80"), InstallVerifier.none(), new EventDispatch(List.of()),
            schedule, clock);

    private ClusterSync sync(CertificateStore shared) {
        return new ClusterSync(ClusterSync.renewalLockOf(shared), shared, registry, installer, schedule, clock,
                duration -> fail("nothing waits for another server here"));
    }

    private ManagedEnrollment managed() {
        ManagedEnrollment entry = registry.lockedEntryFor(Enrollments.request("http://example.com:80"));
        entry.storedInStore();
        entry.unlock();
        return entry;
    }

    @Test
    void onOneNodeACertificateFoundInTheStoreUnderTheLeaseIsNotTakenForAnotherServersRenewal() {
        ManagedEnrollment entry = managed();
        IssuedCertificate fresh = TestCertificates.issued(DOMAIN, clock.instant(), Duration.ofDays(90));
        store.saveCertificate(fresh);
        ClusterSync oneNode = sync(store);

        entry.lock();
        try {
            assertThat(oneNode.isSingleNode()).isTrue();
            assertThat(oneNode.storedSinceDecided(entry, "an older serial")).isFalse();
            assertThat(oneNode.lockHolder(DOMAIN)).isNull();
        } finally {
            entry.unlock();
        }
    }

    @Test
    void withASharedLockTheCertificateAnotherServerStoredIsInstalledInsteadOfOrderingAgain() {
        ManagedEnrollment entry = managed();
        IssuedCertificate fresh = TestCertificates.issued(DOMAIN, clock.instant(), Duration.ofDays(90));
        store.saveCertificate(fresh);
        ClusterSync shared = sync(store.withRenewalLock(new TestRenewalLock()));

        entry.lock();
        try {
            assertThat(shared.isSingleNode()).isFalse();
            assertThat(shared.storedSinceDecided(entry, "an older serial")).isTrue();
            assertThat(entry.installedSerial()).isEqualTo(fresh.metadata().serialNumber());
        } finally {
            entry.unlock();
        }
    }

    @Test
    void aStoreThatKeepsNoEnrollmentsIsNeverListedAndNothingIsLetGo() {
        ManagedEnrollment entry = managed();
        CertificateStore keepsNone = new ForwardingCertificateStore(store) {
            @Override
            public boolean keepsEnrollments() {
                return false;
            }

            @Override
            public Set<String> enrollmentNames() {
                return fail("a store that keeps no enrollments is not listed");
            }
        };
        ClusterSync oneNode = sync(keepsNone);

        clock.advance(Duration.ofDays(1));
        oneNode.letGoOfEnrollmentsRemovedElsewhere(ClusterSync.RECONCILE_EVERY);

        assertThat(registry.stillManages(entry)).isTrue();
    }

    @Test
    void theStoredEnrollmentsAreListedAtMostOnceAnHourAtTheChecks() {
        managed();
        store.saveEnrollment(DOMAIN, EnrollmentCodec.encode(Enrollments.request("http://example.com:80")));
        AtomicInteger listings = new AtomicInteger();
        CertificateStore counting = new ForwardingCertificateStore(store) {
            @Override
            public Set<String> enrollmentNames() {
                listings.incrementAndGet();
                return super.enrollmentNames();
            }
        };
        ClusterSync sync = sync(counting);

        sync.letGoOfEnrollmentsRemovedElsewhere(ClusterSync.RECONCILE_EVERY);
        clock.advance(Duration.ofMinutes(59));
        sync.letGoOfEnrollmentsRemovedElsewhere(ClusterSync.RECONCILE_EVERY);
        assertThat(listings).as("not within the hour").hasValue(0);

        clock.advance(Duration.ofMinutes(1));
        sync.letGoOfEnrollmentsRemovedElsewhere(ClusterSync.RECONCILE_EVERY);
        assertThat(listings).hasValue(1);

        clock.advance(Duration.ofMinutes(1));
        sync.letGoOfEnrollmentsRemovedElsewhere(ClusterSync.RECONCILE_BEFORE_RENEWAL);
        assertThat(listings).as("again before a renewal, a minute later").hasValue(2);
    }

    @Test
    void anEnrollmentGoneFromTheStoreIsLetGoAtTheNextListing() {
        ManagedEnrollment entry = managed();
        ClusterSync sync = sync(store);

        clock.advance(ClusterSync.RECONCILE_EVERY);
        sync.letGoOfEnrollmentsRemovedElsewhere(ClusterSync.RECONCILE_EVERY);

        assertThat(registry.stillManages(entry)).isFalse();
    }
}
