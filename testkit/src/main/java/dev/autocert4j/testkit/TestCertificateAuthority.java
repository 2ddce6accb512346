package dev.autocert4j.testkit;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * A small certificate authority for tests: a root and an intermediate, issuing end-entity
 * certificates for DNS names and IP addresses the way a public CA does (subject alternative names,
 * server authentication, chain of leaf and intermediate). Thread-safe.
 *
 * <pre>{@code
 * TestCertificateAuthority ca = new TestCertificateAuthority("Test CA");
 * IssuedCertificate certificate = ca.issue("portal.example.com", "www.example.com");
 * X509Certificate root = ca.root();   // trust anchor for clients in the test
 * }</pre>
 */
public final class TestCertificateAuthority {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair rootKey = KeyType.EC_P256.generate();
    private final KeyPair intermediateKey = KeyType.EC_P256.generate();
    private final X509Certificate root;
    private final X509Certificate intermediate;

    /**
     * Creates the root and the intermediate, valid from a day ago for ten years.
     *
     * @param name the root's common name; the intermediate is named after it
     */
    public TestCertificateAuthority(String name) {
        Objects.requireNonNull(name, "name");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X500Name rootName = new X500Name("CN=" + name + " Root");
        X500Name intermediateName = new X500Name("CN=" + name + " Intermediate");
        this.root = sign(rootName, rootName, rootKey.getPublic(), rootKey.getPrivate(), rootKey.getPublic(),
                now.minus(Duration.ofDays(1)), Duration.ofDays(3650), true, null);
        this.intermediate = sign(intermediateName, rootName, intermediateKey.getPublic(), rootKey.getPrivate(),
                rootKey.getPublic(), now.minus(Duration.ofDays(1)), Duration.ofDays(3650), true, null);
    }

    /** @return the root certificate, to trust in the test's clients */
    public X509Certificate root() {
        return root;
    }

    /** @return the intermediate certificate that signs end-entity certificates */
    public X509Certificate intermediate() {
        return intermediate;
    }

    /**
     * Issues a 90-day certificate with a fresh EC P-256 key, valid from a minute ago.
     *
     * @param names the DNS names (or IP addresses) to put on it; the first is the metadata's domain
     * @return the certificate with its key, its chain (leaf, intermediate) and metadata
     */
    public IssuedCertificate issue(String... names) {
        return issue(KeyType.EC_P256.generate(), Instant.now().minus(Duration.ofMinutes(1)), Duration.ofDays(90), names);
    }

    /**
     * Issues a certificate for a key pair.
     *
     * @param keyPair   the certificate's key pair
     * @param notBefore the start of validity
     * @param lifetime  how long it is valid
     * @param names     the DNS names (or IP addresses) to put on it; the first is the metadata's domain
     * @return the certificate with its key, its chain (leaf, intermediate) and metadata issued at {@code notBefore}
     */
    public IssuedCertificate issue(KeyPair keyPair, Instant notBefore, Duration lifetime, String... names) {
        X509Certificate leaf = leaf(keyPair.getPublic(), notBefore, lifetime, List.of(names));
        CertificateMetadata metadata = CertificateMetadata.of(names[0], leaf, notBefore,
                URI.create("https://ca.test/dir"), URI.create("https://ca.test/acct/1"));
        return new IssuedCertificate(List.of(leaf, intermediate), keyPair.getPrivate(), metadata);
    }

    /**
     * Signs an end-entity certificate for a public key, as a CA does when it finalizes an order.
     *
     * @param publicKey the key from the CSR
     * @param notBefore the start of validity
     * @param lifetime  how long it is valid
     * @param names     the DNS names and IP addresses (subject alternative names)
     * @return the end-entity certificate, signed by the intermediate
     */
    public X509Certificate leaf(PublicKey publicKey, Instant notBefore, Duration lifetime, List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one name");
        }
        GeneralName[] sans = names.stream().map(TestCertificateAuthority::generalName).toArray(GeneralName[]::new);
        return sign(new X500Name("CN=" + names.get(0)), new X500Name(intermediate.getSubjectX500Principal().getName()),
                publicKey, intermediateKey.getPrivate(), intermediateKey.getPublic(),
                notBefore.truncatedTo(ChronoUnit.SECONDS), lifetime, false, new GeneralNames(sans));
    }

    private static GeneralName generalName(String name) {
        boolean address = name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        return new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, name);
    }

    private static X509Certificate sign(X500Name subject, X500Name issuer, PublicKey subjectKey, PrivateKey signingKey,
                                        PublicKey signingPublicKey, Instant notBefore, Duration lifetime, boolean ca,
                                        GeneralNames names) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(notBefore),
                    Date.from(notBefore.plus(lifetime)), subject, subjectKey);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(signingPublicKey));
            if (names != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, names);
            }
            String algorithm = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot sign a test certificate for " + subject, e);
        }
    }
}
