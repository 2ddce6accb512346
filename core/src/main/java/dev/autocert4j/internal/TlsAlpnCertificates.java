package dev.autocert4j.internal;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.internal.net.NameSyntax;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

/**
 * The validation certificate of TLS-ALPN-01 (RFC 8737): self-signed, for exactly the name being
 * validated, with the critical {@code acmeIdentifier} extension holding the SHA-256 of the key
 * authorization.
 */
public final class TlsAlpnCertificates {

    /** id-pe-acmeIdentifier (RFC 8737 section 6.1). */
    private static final ASN1ObjectIdentifier ACME_IDENTIFIER = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.31");
    private static final SecureRandom RANDOM = new SecureRandom();

    private TlsAlpnCertificates() {
    }

    /**
     * @param name             the DNS name or IP address being validated
     * @param keyAuthorization the challenge's key authorization
     * @return the validation certificate with its key
     */
    public static IssuedCertificate create(String name, String keyAuthorization) {
        try {
            byte[] acmeValidation = MessageDigest.getInstance("SHA-256").digest(
                    keyAuthorization.getBytes(StandardCharsets.US_ASCII));
            KeyPair keyPair = KeyType.EC_P256.generate();
            X500Name subject = new X500Name("CN=acme-tls-alpn-01");
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, RANDOM).setBit(63), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(1))), subject, keyPair.getPublic());
            int type = NameSyntax.isIpAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName;
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(type, name)));
            builder.addExtension(ACME_IDENTIFIER, true, new DEROctetString(acmeValidation));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            CertificateMetadata metadata = CertificateMetadata.of(name, certificate, now, null, null);
            return new IssuedCertificate(List.of(certificate), keyPair.getPrivate(), metadata);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot make the TLS-ALPN-01 validation certificate for " + name, e);
        }
    }

}
