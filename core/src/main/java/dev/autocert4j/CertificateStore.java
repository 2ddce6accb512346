package dev.autocert4j;

import java.net.URI;
import java.util.List;
import java.util.Optional;

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
 * The {@code autocert4j-store-pkcs12} module keeps them in password-protected files.
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
}
