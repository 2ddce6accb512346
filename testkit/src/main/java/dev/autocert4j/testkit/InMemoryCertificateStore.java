package dev.autocert4j.testkit;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.RenewalLock;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final List<Consumer<String>> watchers = new CopyOnWriteArrayList<>();
    private volatile RenewalLock renewalLock;

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

    /**
     * Makes this store offer a renewal lock, as a store shared by several servers does.
     *
     * @param lock the lock
     * @return this store
     * @since 0.2.0
     */
    public InMemoryCertificateStore withRenewalLock(RenewalLock lock) {
        this.renewalLock = lock;
        return this;
    }

    @Override
    public Optional<RenewalLock> renewalLock() {
        return Optional.ofNullable(renewalLock);
    }

    @Override
    public AutoCloseable watch(Consumer<String> changed) {
        watchers.add(changed);
        return () -> watchers.remove(changed);
    }

    /**
     * Saves a certificate as another process sharing the store would, and tells the watchers.
     *
     * @param certificate the certificate
     * @since 0.2.0
     */
    public void saveFromElsewhere(IssuedCertificate certificate) {
        saveCertificate(certificate);
        watchers.forEach(watcher -> watcher.accept(certificate.metadata().domain()));
    }

    /** @return how many times a certificate was saved */
    public int certificateSaves() {
        return certificateSaves.get();
    }
}
