package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.CertificateStoreException;
import dev.autocert4j.IssuedCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How the keeper reads the certificate store: a plugin store's raw exception becomes one that names the store. */
final class StoredCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(StoredCertificates.class);

    private final CertificateStore store;

    StoredCertificates(CertificateStore store) {
        this.store = store;
    }

    /** @return the store read */
    CertificateStore store() {
        return store;
    }

    /** The stored metadata of a name; a plugin store's raw exception becomes a {@link CertificateStoreException}. */
    Optional<CertificateMetadata> metadata(String domain) {
        try {
            return store.loadMetadata(domain);
        } catch (AutoCertException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CertificateStoreException("The certificate store " + store.getClass().getName()
                    + " failed to read the metadata of " + domain + ": " + e, e);
        }
    }

    /**
     * Reads the stored metadata of several names at once (a store may read them in parallel or in
     * one query); empty if that fails: then each name reads its own and a failure stays with it.
     */
    Optional<Map<String, CertificateMetadata>> metadataOfAll(List<String> domains) {
        try {
            return Optional.of(store.loadAllMetadata(domains));
        } catch (RuntimeException e) {
            LOG.debug("Reading the metadata of {} stored certificates at once failed; reading them one by one: {}",
                    domains.size(), e.toString());
            return Optional.empty();
        }
    }

    Optional<IssuedCertificate> certificate(String domain) {
        return store.loadCertificate(domain);
    }

    /** @return the serial number of the stored certificate, or {@code null} if there is none */
    String serial(String domain) {
        return store.loadMetadata(domain).map(CertificateMetadata::serialNumber).orElse(null);
    }

    /** The stored metadata, or empty if the store cannot say: for warnings that must not fail themselves. */
    Optional<CertificateMetadata> metadataIfReadable(String domain) {
        try {
            return store.loadMetadata(domain);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
