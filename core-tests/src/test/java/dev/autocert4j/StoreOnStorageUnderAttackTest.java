package dev.autocert4j;

import dev.autocert4j.spi.Storage;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.InMemoryChallengeResponder;
import dev.autocert4j.testkit.InMemoryStorage;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificateAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An AutoCert on a storage someone without the store key writes to: a forged or swapped certificate
 * entry is never installed, and the other names are resumed and served as if nothing happened.
 */
class StoreOnStorageUnderAttackTest {

    private static final StoreKey KEY = StoreKey.generate();
    private static final Binding PORTAL_HTTPS = Binding.parse("https://portal.example.com:8443");
    private static final Binding OTHER_HTTPS = Binding.parse("https://other.example.com:8443");

    private final InMemoryStorage storage = new InMemoryStorage();
    private final RecordingBindingProvider host = new RecordingBindingProvider("http://portal.example.com:8080",
            "http://other.example.com:8080");
    private final ScheduledThreadPoolExecutor renewalExecutor = new ScheduledThreadPoolExecutor(1);
    private final TestCertificateAuthority ca = new TestCertificateAuthority("Storage attack test CA");

    @AfterEach
    void stopExecutor() {
        renewalExecutor.shutdownNow();
    }

    private AutoCert autoCert() {
        return AutoCert.builder().certificateAuthority(CertificateAuthority.at(URI.create("https://127.0.0.1:1/dir")))
                .bindingProvider(host).challengeResponder(new InMemoryChallengeResponder()).storage(storage, KEY)
                .renewalExecutor(renewalExecutor).build();
    }

    private void enrollBothAndStoreTheirCertificates() {
        try (AutoCert first = autoCert()) {
            first.manage(Enrollments.request("http://portal.example.com:8080"));
            first.manage(Enrollments.request("http://other.example.com:8080"));
        }
        CertificateStore store = CertificateStores.onStorage(storage, KEY);
        store.saveCertificate(ca.issue("portal.example.com"));
        store.saveCertificate(ca.issue("other.example.com"));
    }

    @Test
    void aForgedCertificateIsNeverInstalledAndTheOtherNameIsServed() {
        enrollBothAndStoreTheirCertificates();
        IssuedCertificate other = CertificateStores.onStorage(storage, KEY).loadCertificate("other.example.com").orElseThrow();
        storage.put("certificates/portal.example.com", "forged by someone without the store key"
                .getBytes(StandardCharsets.UTF_8));

        try (AutoCert restarted = autoCert()) {
            assertThat(restarted.resume()).contains("other.example.com");
            assertThat(host.installed()).doesNotContainKey(PORTAL_HTTPS);
            assertThat(host.installed().get(OTHER_HTTPS)).isEqualTo(other);
        }
    }

    @Test
    void aCertificateCopiedFromAnotherNameIsNeverInstalledUnderIt() {
        enrollBothAndStoreTheirCertificates();
        IssuedCertificate other = CertificateStores.onStorage(storage, KEY).loadCertificate("other.example.com").orElseThrow();
        Storage.Value otherEntry = storage.get("certificates/other.example.com").orElseThrow();
        storage.put("certificates/portal.example.com", otherEntry.bytes());

        try (AutoCert restarted = autoCert()) {
            restarted.resume();
            assertThat(host.installed()).doesNotContainKey(PORTAL_HTTPS);
            assertThat(host.installed().get(OTHER_HTTPS)).isEqualTo(other);
        }
    }
    @Test
    void aNodeStartedAgainWithItsRecordOfSeenGenerationsStillRefusesAnOlderEntryCopiedBack() throws Exception {
        java.nio.file.Path seen = java.nio.file.Files.createTempDirectory("seen").resolve("node-1").resolve("seen.generations");
        CertificateStore node = CertificateStores.onStorage(storage, KEY, seen);
        node.saveCertificate(ca.issue("portal.example.com"));
        byte[] older = storage.get("certificates/portal.example.com").orElseThrow().bytes();
        IssuedCertificate renewed = ca.issue("portal.example.com");
        node.saveCertificate(renewed);

        storage.put("certificates/portal.example.com", older); // while the node is down

        CertificateStore startedAgain = CertificateStores.onStorage(storage, KEY, seen);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> startedAgain.loadCertificate("portal.example.com"))
                .isInstanceOf(CertificateStoreException.class).hasMessageContaining("older entry copied back");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(seen)))
                .isEqualTo("rw-------");
        assertThat(new String(java.nio.file.Files.readAllBytes(seen), StandardCharsets.ISO_8859_1))
                .as("encrypted").doesNotContain("portal.example.com");
        assertThat(CertificateStores.onStorage(storage, KEY).loadCertificate("portal.example.com"))
                .as("the limit, written down: a node with no record cannot tell").isPresent();
    }

    @Test
    void aDamagedRecordOfSeenGenerationsIsReportedAndTheNodeStillStarts() throws Exception {
        java.nio.file.Path seen = java.nio.file.Files.createTempDirectory("seen").resolve("seen.generations");
        java.nio.file.Files.write(seen, "not encrypted with the store key".getBytes(StandardCharsets.UTF_8));
        IssuedCertificate certificate = ca.issue("portal.example.com");
        CertificateStores.onStorage(storage, KEY).saveCertificate(certificate);

        assertThat(CertificateStores.onStorage(storage, KEY, seen).loadCertificate("portal.example.com")).contains(certificate);
    }
}
