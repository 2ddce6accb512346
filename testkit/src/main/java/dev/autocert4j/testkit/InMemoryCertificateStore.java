package dev.autocert4j.testkit;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.IssuedCertificate;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link CertificateStore} in memory, for tests: it keeps accounts, certificates and
 * enrollments, and counts certificate saves so a test can check that none happened. It passes
 * {@link CertificateStoreContract}. Thread-safe.
 */
public final class InMemoryCertificateStore implements CertificateStore {

    private final Map<URI, AcmeAccount> accounts = new ConcurrentHashMap<>();
    private final Map<String, IssuedCertificate> certificates = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> enrollments = new ConcurrentHashMap<>();
    private final AtomicInteger certificateSaves = new AtomicInteger();

    @Override
    public Optional<AcmeAccount> loadAccount(URI caDirectory) {
        return Optional.ofNullable(accounts.get(caDirectory));
    }

    @Override
    public void saveAccount(AcmeAccount account) {
        accounts.put(account.caDirectory(), account);
    }

    @Override
    public Optional<IssuedCertificate> loadCertificate(String domain) {
        return Optional.ofNullable(certificates.get(domain));
    }

    @Override
    public void saveCertificate(IssuedCertificate certificate) {
        certificateSaves.incrementAndGet();
        certificates.put(certificate.metadata().domain(), certificate);
    }

    @Override
    public List<String> domains() {
        return List.copyOf(certificates.keySet());
    }

    @Override
    public void deleteCertificate(String domain) {
        certificates.remove(domain);
    }

    @Override
    public boolean keepsEnrollments() {
        return true;
    }

    @Override
    public void saveEnrollment(String name, Map<String, String> choices) {
        enrollments.put(name, Map.copyOf(choices));
    }

    @Override
    public Map<String, Map<String, String>> loadEnrollments() {
        return new LinkedHashMap<>(enrollments);
    }

    @Override
    public void deleteEnrollment(String name) {
        enrollments.remove(name);
    }

    /** @return how many times a certificate was saved */
    public int certificateSaves() {
        return certificateSaves.get();
    }
}
