package dev.autocert4j.testkit;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

/** Makes real, self-signed certificates for tests that need one without a CA. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /**
     * @param domain    the DNS name (subject alternative name)
     * @param notBefore start of validity
     * @param lifetime  how long it is valid
     * @return a certificate with a fresh EC P-256 key and metadata issued at {@code notBefore}
     */
    public static IssuedCertificate issued(String domain, Instant notBefore, Duration lifetime) {
        return issued(List.of(domain), notBefore, lifetime);
    }

    /**
     * @param names     the DNS names (subject alternative names); the first is the domain it is stored under
     * @param notBefore start of validity
     * @param lifetime  how long it is valid
     * @return a certificate with a fresh EC P-256 key and metadata issued at {@code notBefore}
     * @since 0.2.0
     */
    public static IssuedCertificate issued(List<String> names, Instant notBefore, Duration lifetime) {
        String domain = names.get(0);
        KeyPair keyPair = KeyType.EC_P256.generate();
        X509Certificate certificate = selfSigned(names, keyPair, notBefore.truncatedTo(ChronoUnit.SECONDS), lifetime);
        CertificateMetadata metadata = CertificateMetadata.of(domain, certificate, notBefore,
                URI.create("https://ca.test/dir"), URI.create("https://ca.test/acct/1"));
        return new IssuedCertificate(List.of(certificate), keyPair.getPrivate(), metadata);
    }

    /**
     * @param certificate a certificate
     * @return it in PEM form
     */
    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param domain the DNS name
     * @return a 90-day certificate valid from now
     */
    public static IssuedCertificate issued(String domain) {
        return issued(domain, Instant.now().minus(Duration.ofMinutes(1)), Duration.ofDays(90));
    }

    private static X509Certificate selfSigned(List<String> names, KeyPair keyPair, Instant notBefore, Duration lifetime) {
        try {
            X500Name name = new X500Name("CN=" + names.get(0));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()).add(BigInteger.ONE), Date.from(notBefore),
                    Date.from(notBefore.plus(lifetime)), name, keyPair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.stream().map(dns -> new GeneralName(GeneralName.dNSName, dns))
                            .toArray(GeneralName[]::new)));
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(keyPair.getPublic()));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot make a test certificate", e);
        }
    }
}
