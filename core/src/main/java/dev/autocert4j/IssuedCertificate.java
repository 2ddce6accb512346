package dev.autocert4j;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A certificate ready to serve: the chain as the CA sent it (end-entity certificate first), its
 * private key, and its metadata.
 *
 * @param chain      the certificate chain, end-entity certificate first; never empty
 * @param privateKey the end-entity certificate's private key
 * @param metadata   what is known about it
 */
public record IssuedCertificate(List<X509Certificate> chain, PrivateKey privateKey, CertificateMetadata metadata) {

    /**
     * Checks the components and makes the chain immutable.
     *
     * @param chain the certificate chain, end-entity certificate first; never empty
     * @param privateKey the end-entity certificate's private key
     * @param metadata what is known about it
     */
    public IssuedCertificate {
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(metadata, "metadata");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain must hold at least the end-entity certificate");
        }
    }

    /** @return the end-entity certificate */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Describes the certificate without its private key. */
    @Override
    public String toString() {
        return "IssuedCertificate[domain=" + metadata.domain() + ", serial=" + metadata.serialNumber()
                + ", notAfter=" + metadata.notAfter() + "]";
    }
}
