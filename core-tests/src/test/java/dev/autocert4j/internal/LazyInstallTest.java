package dev.autocert4j.internal;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stored certificates handed to a binding provider by metadata, loaded only when it asks. */
class LazyInstallTest {

    private static final String DOMAIN = "portal.example.com";
    private static final Binding HTTPS = Binding.parse("https://portal.example.com:8443");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));
    private final AtomicInteger certificateLoads = new AtomicInteger();
    private final CountingStore store = new CountingStore(new InMemoryCertificateStore(), certificateLoads);
    private final LazyHost host = new LazyHost();
    private final List<String> events = new ArrayList<>();
    private final CertificateKeeper keeper = keeperFor(host);

    private CertificateKeeper keeperFor(BindingProvider bindingProvider) {
        return new CertificateKeeper(new FakeIssuer(clock), store, bindingProvider,
            new InMemoryChallengeSolver(), new CertificateKeeper.Settings(RenewalPolicy.standard(), clock,
            new SplittableRandom(7), List.of(new AutoCertListener() {
                @Override
                public void installed(IssuedCertificate certificate, Binding httpsBinding, InstallResult result) {
                    events.add("installed with key " + certificate.metadata().serialNumber());
                }

                @Override
                public void installed(CertificateMetadata metadata, Binding httpsBinding, InstallResult result) {
                    events.add("installed " + metadata.serialNumber());
                }
            }), true, 5, KeyType.EC_P256, null, InstallVerifier.none()));
    }

    /** A host that keeps the loader it is given for stored certificates, as an SNI key manager does. */
    private static class LazyHost implements dev.autocert4j.spi.BindingProvider {
        final List<Binding> bindings = List.of(Binding.parse("http://portal.example.com:8080"));
        CertificateMetadata lazyMetadata;
        Supplier<IssuedCertificate> loader;
        IssuedCertificate installed;

        @Override
        public List<Binding> bindings() {
            return bindings;
        }

        @Override
        public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
            installed = certificate;
            return InstallResult.LIVE;
        }

        @Override
        public InstallResult installStored(Binding httpsBinding, CertificateMetadata metadata,
                                           Supplier<IssuedCertificate> loader) {
            this.lazyMetadata = metadata;
            this.loader = loader;
            return InstallResult.LIVE;
        }
    }

    /** Counts how often a certificate is loaded with its key; metadata reads are not counted. */
    private record CountingStore(InMemoryCertificateStore stored, AtomicInteger loads, List<String> metadataReads,
                                 boolean bulkFails) implements CertificateStore {

        CountingStore(InMemoryCertificateStore stored, AtomicInteger loads) {
            this(stored, loads, new ArrayList<>(), false);
        }

        @Override
        public boolean keepsEnrollments() {
            return true;
        }

        @Override
        public void saveEnrollment(String name, java.util.Map<String, String> choices) {
            stored.saveEnrollment(name, choices);
        }

        @Override
        public java.util.Map<String, java.util.Map<String, String>> loadEnrollments() {
            return stored.loadEnrollments();
        }

        @Override
        public java.util.Map<String, CertificateMetadata> loadAllMetadata(java.util.Collection<String> domains) {
            metadataReads.add("all " + domains.size());
            if (bulkFails) {
                throw new CertificateStoreException("the bulk read failed", null);
            }
            java.util.Map<String, CertificateMetadata> all = new java.util.LinkedHashMap<>();
            domains.forEach(domain -> stored.loadCertificate(domain).ifPresent(found -> all.put(domain, found.metadata())));
            return all;
        }

        @Override
        public Optional<AcmeAccount> loadAccount(URI caDirectory) {
            return stored.loadAccount(caDirectory);
        }

        @Override
        public void saveAccount(AcmeAccount account) {
            stored.saveAccount(account);
        }

        @Override
        public Optional<IssuedCertificate> loadCertificate(String domain) {
            loads.incrementAndGet();
            return stored.loadCertificate(domain);
        }

        @Override
        public Optional<CertificateMetadata> loadMetadata(String domain) {
            metadataReads.add(domain);
            return stored.loadCertificate(domain).map(IssuedCertificate::metadata);
        }

        @Override
        public void saveCertificate(IssuedCertificate certificate) {
            stored.saveCertificate(certificate);
        }

        @Override
        public List<String> domains() {
            return stored.domains();
        }
    }

    private IssuedCertificate storeValidCertificate() {
        IssuedCertificate stored = TestCertificates.issued(DOMAIN, clock.instant().minus(Duration.ofDays(10)), Duration.ofDays(90));
        store.saveCertificate(stored);
        return stored;
    }

    @Test
    void aStoredCertificateIsInstalledByItsMetadataAndItsKeyIsLoadedOnlyWhenTheHostAsks() {
        IssuedCertificate stored = storeValidCertificate();
        String serial = stored.metadata().serialNumber();

        keeper.manage(Enrollments.request("http://portal.example.com:8080"), false);

        assertThat(host.lazyMetadata).isEqualTo(stored.metadata());
        assertThat(host.installed).as("nothing installed with its key").isNull();
        assertThat(certificateLoads).as("no key decrypted at start").hasValue(0);
        assertThat(events).containsExactly("installed " + serial);
        assertThat(keeper.status(DOMAIN).nextCheck()).isAfter(clock.instant());

        assertThat(host.loader.get()).isSameAs(stored);
        assertThat(certificateLoads).hasValue(1);
    }

    @Test
    void whenTheStoreNoLongerHoldsTheLazyCertificateTheNextCheckInstallsWhatItHolds() {
        storeValidCertificate();
        keeper.manage(Enrollments.request("http://portal.example.com:8080"), false);
        IssuedCertificate replacement = TestCertificates.issued(DOMAIN, clock.instant().minus(Duration.ofDays(1)), Duration.ofDays(90));
        store.saveCertificate(replacement);
        clock.set(clock.instant().plus(Duration.ofMinutes(5)));

        assertThatThrownBy(host.loader::get).isInstanceOf(CertificateStoreException.class)
                .hasMessageContaining("no longer holds the certificate");
        assertThat(keeper.earliestCheck()).contains(clock.instant());

        keeper.checkDue();

        assertThat(host.installed).as("the stored certificate, installed with its key").isSameAs(replacement);
        assertThat(keeper.status(DOMAIN).lastError()).isNull();
        assertThat(events).endsWith("installed with key " + replacement.metadata().serialNumber(),
                "installed " + replacement.metadata().serialNumber());
    }

    @Test
    void aProviderThatLoadsAtOnceHasListenersHearTheInstallWithItsKey() {
        IssuedCertificate stored = storeValidCertificate();
        String serial = stored.metadata().serialNumber();
        LazyHost eager = new LazyHost() {
            @Override
            public InstallResult installStored(Binding httpsBinding, CertificateMetadata metadata,
                                               Supplier<IssuedCertificate> loader) {
                return install(httpsBinding, loader.get()); // what BindingProvider does by default
            }
        };

        keeperFor(eager).manage(Enrollments.request("http://portal.example.com:8080"), false);

        assertThat(eager.installed).isSameAs(stored);
        assertThat(events).containsExactly("installed with key " + serial, "installed " + serial);
    }

    @Test
    void aLaterLazyLoadIsNotReportedAsAnotherInstall() {
        storeValidCertificate();
        keeper.manage(Enrollments.request("http://portal.example.com:8080"), false);
        int heard = events.size();

        host.loader.get();

        assertThat(events).hasSize(heard);
    }

    @Test
    void resumingReadsTheMetadataOfEveryStoredCertificateInOneCall() {
        storeValidCertificate();
        keeperFor(new LazyHost()).manage(Enrollments.request("http://portal.example.com:8080"), true);
        store.metadataReads().clear();
        LazyHost restarted = new LazyHost();

        assertThat(keeperFor(restarted).resume()).containsExactly(DOMAIN);

        assertThat(store.metadataReads()).as("one bulk read, which the store may do its own way").containsExactly("all 1");
        assertThat(restarted.lazyMetadata).isNotNull();
    }

    @Test
    void whenTheBulkReadFailsEachEnrollmentReadsItsOwn() {
        storeValidCertificate();
        keeperFor(new LazyHost()).manage(Enrollments.request("http://portal.example.com:8080"), true);
        CountingStore failingBulk = new CountingStore(store.stored(), certificateLoads, new ArrayList<>(), true);
        LazyHost restarted = new LazyHost();
        CertificateKeeper keeper = new CertificateKeeper(new FakeIssuer(clock), failingBulk, restarted,
                new InMemoryChallengeSolver(), new CertificateKeeper.Settings(RenewalPolicy.standard(), clock,
                new SplittableRandom(7), List.of(), true, 5, KeyType.EC_P256, null, InstallVerifier.none()));

        assertThat(keeper.resume()).containsExactly(DOMAIN);

        assertThat(failingBulk.metadataReads()).containsExactly("all 1", DOMAIN);
        assertThat(restarted.lazyMetadata).isNotNull();
        assertThat(keeper.status(DOMAIN).lastError()).isNull();
    }

    @Test
    void anExpiredStoredCertificateIsNotInstalledAndTheEnrollmentIsDue() {
        store.saveCertificate(TestCertificates.issued(DOMAIN, clock.instant().minus(Duration.ofDays(100)), Duration.ofDays(90)));

        keeper.manage(Enrollments.request("http://portal.example.com:8080"), false);

        assertThat(host.lazyMetadata).isNull();
        assertThat(keeper.status(DOMAIN).nextCheck()).isEqualTo(clock.instant());
    }
}
