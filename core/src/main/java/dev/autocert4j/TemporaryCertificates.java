package dev.autocert4j;

import dev.autocert4j.internal.net.NameSyntax;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

/**
 * Makes the self-signed certificate a server presents before its first real one exists, so that
 * a TLS handshake succeeds (and the browser says "not trusted") instead of failing without a word.
 */
final class TemporaryCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration LIFETIME = Duration.ofDays(7);

    private TemporaryCertificates() {
    }

    /**
     * @param name the DNS name (or IP address) to put on it, or {@code null} for a certificate without a name
     * @return a self-signed EC P-256 certificate valid for a week, with its key
     */
    static IssuedCertificate selfSigned(String name) {
        KeyPair keyPair = KeyType.EC_P256.generate();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "autocert4j temporary certificate (no certificate obtained yet)");
        if (name != null) {
            subject.addRDN(BCStyle.CN, name);
        }
        X500Name x500 = subject.build();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(x500, new BigInteger(64, RANDOM).setBit(63),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(LIFETIME)), x500, keyPair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (name != null) {
                int type = NameSyntax.isDnsName(name) ? GeneralName.dNSName : GeneralName.iPAddress;
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(type, name)));
            }
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            CertificateMetadata metadata = CertificateMetadata.of(name == null ? "temporary" : name, certificate, now, null, null);
            return new IssuedCertificate(List.of(certificate), keyPair.getPrivate(), metadata);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("Cannot make a temporary certificate for " + name, e);
        }
    }
}
