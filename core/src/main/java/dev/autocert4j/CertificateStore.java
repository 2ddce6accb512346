package dev.autocert4j;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where ACME accounts and issued certificates live between runs.
 *
 * <p>The contract every implementation keeps:
 * <ul>
 *   <li>a load returns exactly what the last successful save wrote, or nothing;</li>
 *   <li>a save is atomic: after a crash at any moment, a load returns the old value or the new
 *       one, never a mix;</li>
 *   <li>a failed save throws {@link CertificateStoreException} and leaves the old value in place;</li>
 *   <li>implementations are thread-safe.</li>
 * </ul>
 * Stores also keep each enrollment's choices ({@link #saveEnrollment}), so that
 * {@link AutoCert#start()} resumes every enrollment after a restart; the methods for that have
 * defaults, so a store written before they existed still compiles and works, only without resuming.
 * The {@code autocert4j-store-pkcs12} module keeps everything in password-protected files; the
 * test kit's {@code CertificateStoreContract} checks a store against this contract.
 */
public interface CertificateStore {

    /**
     * Loads the account for a CA directory.
     *
     * @param caDirectory the ACME directory URL
     * @return the account, if one was saved
     * @throws CertificateStoreException if it exists but cannot be read
     */
    Optional<AcmeAccount> loadAccount(URI caDirectory);

    /**
     * Saves an account, replacing any earlier one for the same CA directory.
     *
     * @param account the account
     * @throws CertificateStoreException if it cannot be saved
     */
    void saveAccount(AcmeAccount account);

    /**
     * Loads the certificate for a domain.
     *
     * @param domain the DNS name
     * @return the certificate, if one was saved
     * @throws CertificateStoreException if it exists but cannot be read
     */
    Optional<IssuedCertificate> loadCertificate(String domain);

    /**
     * Loads only the metadata of a domain's certificate, for renewal checks. Stores that can read
     * it more cheaply than the whole certificate and key (without decrypting the key) override this.
     *
     * @param domain the DNS name
     * @return the metadata of the certificate {@link #loadCertificate} would return, if one was saved
     * @throws CertificateStoreException if it exists but cannot be read
     */
    default Optional<CertificateMetadata> loadMetadata(String domain) {
        return loadCertificate(domain).map(IssuedCertificate::metadata);
    }

    /**
     * Saves a certificate, replacing any earlier one for the same domain.
     *
     * @param certificate the certificate with its key and metadata
     * @throws CertificateStoreException if it cannot be saved
     */
    void saveCertificate(IssuedCertificate certificate);

    /**
     * Lists the domains that have a saved certificate.
     *
     * @return the domains, in no particular order
     * @throws CertificateStoreException if the store cannot be read
     */
    List<String> domains();

    /**
     * Deletes a domain's certificate, its key and its metadata. Deleting what is not there does nothing.
     *
     * @param domain the DNS name
     * @throws CertificateStoreException if it cannot be deleted, or the store cannot delete at all
     *                                   (the default)
     */
    default void deleteCertificate(String domain) {
        throw new CertificateStoreException(getClass().getName() + " cannot delete certificates; delete the"
                + " certificate for " + domain + " where the store keeps it", null);
    }

    /**
     * Says whether this store keeps enrollments. {@link AutoCert} warns once when it does not,
     * because {@link AutoCert#start()} then cannot resume them.
     *
     * @return {@code true} if {@link #saveEnrollment} keeps what it is given; the default is {@code false}
     */
    default boolean keepsEnrollments() {
        return false;
    }

    /**
     * Saves the choices of an enrollment, replacing any earlier ones under the same name. They are
     * flat text written by autocert4j; a store keeps them verbatim and never interprets them. They
     * hold no secret.
     *
     * @param name    the enrollment's name: its first DNS name (or IP address)
     * @param choices the choices as text properties
     * @throws CertificateStoreException if they cannot be saved
     */
    default void saveEnrollment(String name, Map<String, String> choices) {
        // a store that keeps no enrollments forgets them; see keepsEnrollments()
    }

    /**
     * Loads every saved enrollment.
     *
     * @return the choices by enrollment name, exactly as the last {@link #saveEnrollment} for each
     *         name gave them; empty where the store keeps none
     * @throws CertificateStoreException if they cannot be read
     */
    default Map<String, Map<String, String>> loadEnrollments() {
        return Map.of();
    }

    /**
     * The names of the saved enrollments, without their choices: what a server of a cluster asks
     * for now and then to notice the enrollments another server removed. The default takes them
     * from {@link #loadEnrollments}; a store that can list names more cheaply overrides it.
     *
     * @return the enrollment names
     * @throws CertificateStoreException if they cannot be read
     * @since 0.2.0
     */
    default java.util.Set<String> enrollmentNames() {
        return loadEnrollments().keySet();
    }

    /**
     * Deletes an enrollment's choices; its certificate stays unless {@link #deleteCertificate} is
     * called too. Deleting what is not there does nothing.
     *
     * @param name the enrollment's name
     * @throws CertificateStoreException if it cannot be deleted
     */
    default void deleteEnrollment(String name) {
        // a store that keeps no enrollments has nothing to delete
    }

    /**
     * Reads the metadata of several certificates at once, for the renewal check of many
     * certificates: a database answers in one query what {@link #loadMetadata} needs one query per
     * certificate for. The default calls {@link #loadMetadata} for each.
     *
     * @param domains the domains
     * @return the metadata of those that have a certificate, by domain
     * @throws CertificateStoreException if they cannot be read
     * @since 0.2.0
     */
    default Map<String, CertificateMetadata> loadAllMetadata(Collection<String> domains) {
        Map<String, CertificateMetadata> all = new LinkedHashMap<>();
        for (String domain : domains) {
            loadMetadata(domain).ifPresent(metadata -> all.put(domain, metadata));
        }
        return all;
    }

    /**
     * Says whether this store keeps pending orders ({@link #savePendingOrder}), so that a certificate
     * the CA issued just before a crash is fetched again rather than ordered a second time.
     *
     * @return {@code true} if {@link #savePendingOrder} keeps what it is given; the default is {@code false}
     * @since 0.2.0
     */
    default boolean keepsPendingOrders() {
        return false;
    }

    /**
     * Saves the order about to be finalized for a domain, replacing any earlier one for it. It holds
     * the new certificate's private key: a store keeps it as securely as a certificate's key, and
     * seals the rest so that an edited, swapped or replayed record is refused when loaded.
     *
     * @param order the order, its key pair included
     * @throws CertificateStoreException if it cannot be saved
     * @since 0.2.0
     */
    default void savePendingOrder(PendingOrder order) {
        // a store that keeps no pending orders forgets them; see keepsPendingOrders()
    }

    /**
     * Loads the pending order of a domain.
     *
     * @param domain the enrollment's first name
     * @return the order, if one was saved and not deleted since
     * @throws CertificateStoreException if one exists but cannot be read or is refused (edited, of
     *                                   another name, replayed)
     * @since 0.2.0
     */
    default Optional<PendingOrder> loadPendingOrder(String domain) {
        return Optional.empty();
    }

    /**
     * Deletes the pending order of a domain, once its certificate is stored or the order is of no
     * more use. Deleting what is not there does nothing.
     *
     * @param domain the enrollment's first name
     * @throws CertificateStoreException if it cannot be deleted
     * @since 0.2.0
     */
    default void deletePendingOrder(String domain) {
        // a store that keeps no pending orders has nothing to delete
    }

    /**
     * Returns the lock that keeps several servers sharing this store from renewing the same
     * certificate at once. A store kept by one server needs none (the default).
     *
     * @return the store's renewal lock, if it is shared
     * @since 0.2.0
     */
    default Optional<RenewalLock> renewalLock() {
        return Optional.empty();
    }

    /**
     * Asks to be told when another process saves a certificate, so that a certificate renewed by
     * one server of a cluster is installed on the others without their calling the CA.
     * {@link AutoCert#start()} calls it; the default never tells (a store of one server).
     *
     * @param changed called with the domain, on a thread of the store's, for each certificate
     *                another process saved; it must return quickly
     * @return what stops the watching when closed
     * @since 0.2.0
     */
    default AutoCloseable watch(Consumer<String> changed) {
        return () -> { };
    }

    /**
     * The HTTP-01 challenge tokens this store shares between the servers of a cluster, so that
     * whichever server the CA's request reaches answers it: hand them to
     * {@code Http01Responder.sharedThrough(..)}. A store of one server shares none (the default);
     * a store on a {@link dev.autocert4j.spi.Storage} with locks shares them, sealed with the store key.
     *
     * @return the shared tokens, or empty if this store is not shared
     * @since 0.2.0
     */
    default Optional<ChallengeTokenStore> sharedChallengeTokens() {
        return Optional.empty();
    }
}
