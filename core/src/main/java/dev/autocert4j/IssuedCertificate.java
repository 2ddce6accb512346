package dev.autocert4j;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A certificate ready to serve: the chain as the CA sent it (end-entity certificate first), its
 * private key, and its metadata. Immutable.
 */
public final class IssuedCertificate {

    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final CertificateMetadata metadata;

    /**
     * Creates a certificate.
     *
     * @param chain      the certificate chain, end-entity certificate first; never empty
     * @param privateKey the end-entity certificate's private key
     * @param metadata   what is known about it
     * @throws IllegalArgumentException if the chain is empty
     */
    public IssuedCertificate(List<X509Certificate> chain, PrivateKey privateKey, CertificateMetadata metadata) {
        Objects.requireNonNull(chain, "chain");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.chain = List.copyOf(chain);
        if (this.chain.isEmpty()) {
            throw new IllegalArgumentException("chain must hold at least the end-entity certificate");
        }
    }

    /** @return the certificate chain, end-entity certificate first */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** @return the end-entity certificate's private key; a secret */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** @return what is known about the certificate */
    public CertificateMetadata metadata() {
        return metadata;
    }

    /** @return the end-entity certificate */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Two certificates are equal when chain, key (by encoding) and metadata are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof IssuedCertificate that && chain.equals(that.chain) && metadata.equals(that.metadata)
                && Arrays.equals(privateKey.getEncoded(), that.privateKey.getEncoded());
    }

    @Override
    public int hashCode() {
        return Objects.hash(chain, metadata);
    }

    /** Describes the certificate without its private key. */
    @Override
    public String toString() {
        return "IssuedCertificate[domain=" + metadata.domain() + ", serial=" + metadata.serialNumber()
                + ", notAfter=" + metadata.notAfter() + "]";
    }
}
