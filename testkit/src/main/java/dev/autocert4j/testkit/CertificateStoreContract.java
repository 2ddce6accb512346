package dev.autocert4j.testkit;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.PendingOrder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link CertificateStore} must have. A store's test extends this class and
 * says how to open a store; a second {@link #openStore()} must see what the first one saved.
 *
 * <pre>{@code
 * class MyStoreTest extends CertificateStoreContract {
 *     @TempDir Path folder;
 *
 *     @Override
 *     protected CertificateStore openStore() {
 *         return new MyStore(folder);
 *     }
 * }
 * }</pre>
 *
 * A store that keeps no enrollments ({@link CertificateStore#keepsEnrollments()} is false) skips
 * nothing here: the enrollment tests then check that it says so and forgets quietly; the same holds
 * for pending orders ({@link CertificateStore#keepsPendingOrders()}).
 */
public abstract class CertificateStoreContract {

    private static final URI DIRECTORY = URI.create("https://ca.test/dir");
    private static final URI OTHER_DIRECTORY = URI.create("acme://letsencrypt.org/staging");

    /** @return a store over the same underlying storage every time it is called within one test */
    protected abstract CertificateStore openStore();

    @Test
    void anEmptyStoreHasNothing() {
        CertificateStore store = openStore();
        assertThat(store.loadAccount(DIRECTORY)).isEmpty();
        assertThat(store.loadCertificate("portal.example.com")).isEmpty();
        assertThat(store.domains()).isEmpty();
    }

    @Test
    void loadsTheCertificateTheLastSaveWrote() {
        IssuedCertificate saved = TestCertificates.issued("portal.example.com");
        openStore().saveCertificate(saved);

        IssuedCertificate loaded = openStore().loadCertificate("portal.example.com").orElseThrow();

        assertThat(loaded.chain()).isEqualTo(saved.chain());
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(saved.privateKey().getEncoded());
        assertThat(loaded.metadata()).isEqualTo(saved.metadata());
    }

    @Test
    void loadsTheMetadataOfSeveralCertificatesAtOnceAsOneByOne() {
        CertificateStore store = openStore();
        store.saveCertificate(TestCertificates.issued("portal.example.com"));
        store.saveCertificate(TestCertificates.issued("other.example.com"));

        Map<String, dev.autocert4j.CertificateMetadata> all = openStore().loadAllMetadata(
                List.of("portal.example.com", "missing.example.com", "other.example.com"));

        assertThat(all).containsOnlyKeys("portal.example.com", "other.example.com");
        assertThat(all.get("portal.example.com")).isEqualTo(store.loadMetadata("portal.example.com").orElseThrow());
        assertThat(all.get("other.example.com")).isEqualTo(store.loadMetadata("other.example.com").orElseThrow());
    }

    @Test
    void loadsTheMetadataOfTheCertificateTheLastSaveWrote() {
        CertificateStore store = openStore();
        assertThat(store.loadMetadata("portal.example.com")).isEmpty();
        store.saveCertificate(TestCertificates.issued("portal.example.com"));
        IssuedCertificate renewed = TestCertificates.issued("portal.example.com");
        store.saveCertificate(renewed);

        assertThat(openStore().loadMetadata("portal.example.com")).contains(renewed.metadata());
    }

    @Test
    void aLaterSaveReplacesTheCertificate() {
        CertificateStore store = openStore();
        store.saveCertificate(TestCertificates.issued("portal.example.com"));
        IssuedCertificate renewed = TestCertificates.issued("portal.example.com",
                Instant.now(), Duration.ofDays(90));
        store.saveCertificate(renewed);

        IssuedCertificate loaded = openStore().loadCertificate("portal.example.com").orElseThrow();

        assertThat(loaded.metadata().serialNumber()).isEqualTo(renewed.metadata().serialNumber());
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(renewed.privateKey().getEncoded());
        assertThat(openStore().domains()).containsExactly("portal.example.com");
    }

    @Test
    void keepsCertificatesOfDifferentDomainsApart() {
        CertificateStore store = openStore();
        IssuedCertificate first = TestCertificates.issued("a.example.com");
        IssuedCertificate second = TestCertificates.issued("b.example.com");
        store.saveCertificate(first);
        store.saveCertificate(second);

        assertThat(openStore().domains()).containsExactlyInAnyOrder("a.example.com", "b.example.com");
        assertThat(openStore().loadCertificate("a.example.com").orElseThrow().metadata())
                .isEqualTo(first.metadata());
        assertThat(openStore().loadCertificate("b.example.com").orElseThrow().metadata())
                .isEqualTo(second.metadata());
    }

    @Test
    void keepsOneAccountPerCaDirectory() {
        KeyPair first = KeyType.EC_P256.generate();
        KeyPair second = KeyType.EC_P256.generate();
        CertificateStore store = openStore();
        store.saveAccount(new AcmeAccount(DIRECTORY, first, URI.create("https://ca.test/acct/1")));
        store.saveAccount(new AcmeAccount(OTHER_DIRECTORY, second, null));

        AcmeAccount loaded = openStore().loadAccount(DIRECTORY).orElseThrow();
        assertThat(loaded.location()).isEqualTo(URI.create("https://ca.test/acct/1"));
        assertThat(loaded.keyPair().getPrivate().getEncoded()).isEqualTo(first.getPrivate().getEncoded());
        assertThat(loaded.keyPair().getPublic()).isEqualTo(first.getPublic());

        AcmeAccount other = openStore().loadAccount(OTHER_DIRECTORY).orElseThrow();
        assertThat(other.location()).isNull();
        assertThat(other.keyPair().getPublic()).isEqualTo(second.getPublic());
    }

    @Test
    void anAccountSavedAgainGetsItsLocation() {
        KeyPair keyPair = KeyType.EC_P256.generate();
        openStore().saveAccount(new AcmeAccount(DIRECTORY, keyPair, null));
        openStore().saveAccount(new AcmeAccount(DIRECTORY, keyPair, URI.create("https://ca.test/acct/7")));

        assertThat(openStore().loadAccount(DIRECTORY).orElseThrow().location())
                .isEqualTo(URI.create("https://ca.test/acct/7"));
    }

    @Test
    void concurrentSavesLeaveOneWholeCertificate() throws Exception {
        CertificateStore store = openStore();
        List<IssuedCertificate> candidates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            candidates.add(TestCertificates.issued("portal.example.com"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> saves = new ArrayList<>();
            for (IssuedCertificate candidate : candidates) {
                saves.add(pool.submit(() -> store.saveCertificate(candidate)));
            }
            for (Future<?> save : saves) {
                save.get();
            }
        } finally {
            pool.shutdownNow();
        }

        IssuedCertificate loaded = openStore().loadCertificate("portal.example.com").orElseThrow();
        IssuedCertificate match = candidates.stream()
                .filter(c -> c.metadata().serialNumber().equals(loaded.metadata().serialNumber()))
                .findFirst().orElseThrow();
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(match.privateKey().getEncoded());
        assertThat(loaded.metadata()).isEqualTo(match.metadata());
    }

    @Test
    void deletingACertificateRemovesItAndLeavesTheOthers() {
        CertificateStore store = openStore();
        store.saveCertificate(TestCertificates.issued("a.example.com"));
        IssuedCertificate kept = TestCertificates.issued("b.example.com");
        store.saveCertificate(kept);

        store.deleteCertificate("a.example.com");
        store.deleteCertificate("never-stored.example.com");

        CertificateStore reopened = openStore();
        assertThat(reopened.loadCertificate("a.example.com")).isEmpty();
        assertThat(reopened.loadMetadata("a.example.com")).isEmpty();
        assertThat(reopened.domains()).containsExactly("b.example.com");
        assertThat(reopened.loadCertificate("b.example.com").orElseThrow().metadata()).isEqualTo(kept.metadata());
    }

    @Test
    void keepsEachEnrollmentsChoicesVerbatimUntilDeleted() {
        Map<String, String> first = Map.of("version", "1", "binding", "http://a.example.com:80", "httpsPort", "443",
                "email", "admin@example.com", "note", "text with = and : and \\ and ü");
        Map<String, String> second = Map.of("version", "1", "binding", "https://b.example.com:8443");
        CertificateStore store = openStore();
        store.saveEnrollment("a.example.com", Map.of("version", "1"));
        store.saveEnrollment("a.example.com", first);
        store.saveEnrollment("b.example.com", second);

        if (!store.keepsEnrollments()) {
            assertThat(openStore().loadEnrollments()).as("a store that keeps no enrollments returns none").isEmpty();
            return;
        }
        assertThat(openStore().loadEnrollments()).containsOnly(Map.entry("a.example.com", first),
                Map.entry("b.example.com", second));

        openStore().deleteEnrollment("a.example.com");
        openStore().deleteEnrollment("never-enrolled.example.com");

        assertThat(openStore().loadEnrollments()).containsOnly(Map.entry("b.example.com", second));
    }

    @Test
    void listsTheNamesOfTheSavedEnrollmentsAsLoadingThemWould() {
        CertificateStore store = openStore();
        store.saveEnrollment("a.example.com", Map.of("version", "1"));
        store.saveEnrollment("b.example.com", Map.of("version", "1"));
        openStore().deleteEnrollment("a.example.com");

        assertThat(openStore().enrollmentNames()).isEqualTo(openStore().loadEnrollments().keySet());
        if (store.keepsEnrollments()) {
            assertThat(openStore().enrollmentNames()).containsExactly("b.example.com");
        }
    }

    @Test
    void anEnrollmentAndItsCertificateAreIndependent() {
        CertificateStore store = openStore();
        IssuedCertificate certificate = TestCertificates.issued("portal.example.com");
        store.saveCertificate(certificate);
        store.saveEnrollment("portal.example.com", Map.of("version", "1"));

        store.deleteEnrollment("portal.example.com");

        assertThat(openStore().loadCertificate("portal.example.com").orElseThrow().metadata())
                .isEqualTo(certificate.metadata());
    }

    @Test
    void keepsTheLastPendingOrderOfEachDomainWithItsKeyUntilDeletedApartFromEverythingElse() {
        KeyPair key = KeyType.EC_P256.generate();
        PendingOrder first = new PendingOrder("portal.example.com", List.of("portal.example.com"), DIRECTORY,
                URI.create("https://ca.test/order/1"), KeyType.EC_P256.generate(), Instant.parse("2026-12-08T01:00:00Z"));
        PendingOrder second = new PendingOrder("portal.example.com", List.of("portal.example.com",
                "www.portal.example.com"), DIRECTORY, URI.create("https://ca.test/order/2"), key,
                Instant.parse("2026-12-08T02:00:00Z"));
        CertificateStore store = openStore();
        store.savePendingOrder(first);
        store.savePendingOrder(second);
        store.savePendingOrder(new PendingOrder("other.example.com", List.of("other.example.com"), OTHER_DIRECTORY,
                URI.create("https://ca.test/order/3"), KeyType.EC_P256.generate(), Instant.parse("2026-12-08T03:00:00Z")));

        if (!store.keepsPendingOrders()) {
            assertThat(openStore().loadPendingOrder("portal.example.com")).as("a store that keeps none returns none")
                    .isEmpty();
            return;
        }
        PendingOrder loaded = openStore().loadPendingOrder("portal.example.com").orElseThrow();
        assertThat(loaded.names()).isEqualTo(second.names());
        assertThat(loaded.caDirectory()).isEqualTo(DIRECTORY);
        assertThat(loaded.orderLocation()).isEqualTo(second.orderLocation());
        assertThat(loaded.createdAt()).isEqualTo(second.createdAt());
        assertThat(loaded.keyPair().getPublic().getEncoded()).isEqualTo(key.getPublic().getEncoded());
        assertThat(loaded.keyPair().getPrivate().getEncoded()).isEqualTo(key.getPrivate().getEncoded());
        assertThat(openStore().domains()).as("a pending order is no certificate").isEmpty();
        assertThat(openStore().loadEnrollments()).as("nor an enrollment").isEmpty();

        openStore().deletePendingOrder("portal.example.com");
        openStore().deletePendingOrder("never-ordered.example.com");

        assertThat(openStore().loadPendingOrder("portal.example.com")).isEmpty();
        assertThat(openStore().loadPendingOrder("other.example.com").orElseThrow().caDirectory()).isEqualTo(OTHER_DIRECTORY);
    }
}
