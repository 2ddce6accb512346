package dev.autocert4j;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
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

    /**
     * Makes a self-signed placeholder for a server that must present a certificate before its first
     * real one exists (a server whose TLS configuration cannot start empty, such as a Spring Boot SSL
     * bundle): an EC P-256 certificate valid for a week, naming {@code name}, marked in its subject
     * as temporary. Browsers show it as untrusted, which is the truth until the CA has answered.
     *
     * @param name the DNS name or IP address to put on it
     * @return the placeholder, with its key
     * @since 0.2.0
     */
    public static IssuedCertificate temporary(String name) {
        return TemporaryCertificates.selfSigned(Objects.requireNonNull(name, "name"));
    }

    /**
     * Makes a self-signed placeholder that names no host, for handshakes that name none (no SNI)
     * before the first real certificate exists; otherwise as {@link #temporary(String)}.
     *
     * @return the placeholder, with its key
     * @since 0.2.0
     */
    public static IssuedCertificate temporary() {
        return TemporaryCertificates.selfSigned(null);
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

    /**
     * Puts the chain and key into a new in-memory PKCS12 key store, as the one key entry
     * {@code alias}, for servers that take a {@link KeyStore} (Tomcat, Jetty's
     * {@code SslContextFactory}, Spring Boot's SSL bundles).
     *
     * @param alias    the alias of the key entry
     * @param password protects the key entry; the caller may clear the array afterwards
     * @return the key store
     */
    public KeyStore toKeyStore(String alias, char[] password) {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(password, "password");
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(alias, privateKey, password, chain.toArray(new X509Certificate[0]));
            return keyStore;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot hold the key in a PKCS12 key store", e);
        }
    }

    /** @return the chain as PEM ({@code CERTIFICATE} blocks), end-entity certificate first */
    public String chainPem() {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : chain) {
            try {
                pem.append(pem("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("A certificate of the chain cannot be encoded", e);
            }
        }
        return pem.toString();
    }

    /**
     * Returns the private key as unencrypted PEM ({@code PRIVATE KEY}, PKCS#8), for servers that
     * read key files. It is a secret: write it only to a file readable by the server alone.
     *
     * @return the key as PEM
     */
    public String privateKeyPem() {
        return pem("PRIVATE KEY", privateKey.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
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
