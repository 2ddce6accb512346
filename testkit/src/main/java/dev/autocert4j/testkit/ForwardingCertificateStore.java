package dev.autocert4j.testkit;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.ChallengeTokenStore;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.PendingOrder;
import dev.autocert4j.RenewalLock;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link CertificateStore} that hands every call, the default methods included, to another
 * store: a test overrides the calls it wants to count, delay or fail.
 *
 * <pre>{@code
 * CertificateStore failing = new ForwardingCertificateStore(store) {
 *     public Optional<AcmeAccount> loadAccount(URI caDirectory) {
 *         throw new CertificateStoreException("disk gone", null);
 *     }
 * };
 * }</pre>
 *
 * @since 0.2.0
 */
public class ForwardingCertificateStore implements CertificateStore {

    private final CertificateStore delegate;

    /** @param delegate the store every call goes to */
    public ForwardingCertificateStore(CertificateStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the store every call goes to */
    protected CertificateStore delegate() {
        return delegate;
    }

    @Override
    public Optional<AcmeAccount> loadAccount(URI caDirectory) {
        return delegate.loadAccount(caDirectory);
    }

    @Override
    public void saveAccount(AcmeAccount account) {
        delegate.saveAccount(account);
    }

    @Override
    public Optional<IssuedCertificate> loadCertificate(String domain) {
        return delegate.loadCertificate(domain);
    }

    @Override
    public Optional<CertificateMetadata> loadMetadata(String domain) {
        return delegate.loadMetadata(domain);
    }

    @Override
    public void saveCertificate(IssuedCertificate certificate) {
        delegate.saveCertificate(certificate);
    }

    @Override
    public List<String> domains() {
        return delegate.domains();
    }

    @Override
    public void deleteCertificate(String domain) {
        delegate.deleteCertificate(domain);
    }

    @Override
    public boolean keepsEnrollments() {
        return delegate.keepsEnrollments();
    }

    @Override
    public void saveEnrollment(String name, Map<String, String> choices) {
        delegate.saveEnrollment(name, choices);
    }

    @Override
    public Map<String, Map<String, String>> loadEnrollments() {
        return delegate.loadEnrollments();
    }

    @Override
    public java.util.Set<String> enrollmentNames() {
        return delegate.enrollmentNames();
    }

    @Override
    public void deleteEnrollment(String name) {
        delegate.deleteEnrollment(name);
    }

    @Override
    public Map<String, CertificateMetadata> loadAllMetadata(Collection<String> domains) {
        return delegate.loadAllMetadata(domains);
    }

    @Override
    public boolean keepsPendingOrders() {
        return delegate.keepsPendingOrders();
    }

    @Override
    public void savePendingOrder(PendingOrder order) {
        delegate.savePendingOrder(order);
    }

    @Override
    public Optional<PendingOrder> loadPendingOrder(String domain) {
        return delegate.loadPendingOrder(domain);
    }

    @Override
    public void deletePendingOrder(String domain) {
        delegate.deletePendingOrder(domain);
    }

    @Override
    public Optional<RenewalLock> renewalLock() {
        return delegate.renewalLock();
    }

    @Override
    public Optional<ChallengeTokenStore> sharedChallengeTokens() {
        return delegate.sharedChallengeTokens();
    }

    @Override
    public AutoCloseable watch(Consumer<String> changed) {
        return delegate.watch(changed);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
