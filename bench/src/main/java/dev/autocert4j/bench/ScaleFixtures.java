package dev.autocert4j.bench;

import dev.autocert4j.Binding;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Many stored certificates made quickly, for the scale benchmarks (never for tests): one CA key
 * and one end-entity key shared by every certificate, each certificate signed for its own name,
 * with its enrollment. Made through the store's own save methods, so what is stored is what a
 * running server stores.
 */
final class ScaleFixtures {

    private final KeyPair caKey = KeyType.EC_P256.generate();
    private final KeyPair leafKey = KeyType.EC_P256.generate();
    private final X509Certificate caCertificate;
    private final Instant notBefore = Instant.now().minus(Duration.ofDays(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    ScaleFixtures() {
        caCertificate = sign(new X500Name("CN=autocert4j bench CA"), caKey, null, 1);
    }

    /** The name of the i-th certificate. */
    static String name(int i) {
        return "site" + i + ".bench.test";
    }

    /** Saves {@code count} certificates and their enrollments; returns the seconds it took. */
    double fill(CertificateStore store, int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String name = name(i);
            X509Certificate leaf = sign(new X500Name("CN=" + name), leafKey, name, i + 2L);
            CertificateMetadata metadata = CertificateMetadata.of(name, leaf, notBefore,
                    URI.create("https://ca.test/dir"), URI.create("https://ca.test/acct/1"));
            store.saveCertificate(new IssuedCertificate(List.of(leaf, caCertificate), leafKey.getPrivate(), metadata));
            store.saveEnrollment(name, encoded(EnrollmentRequest.builder().binding(Binding.parse("http://" + name + ":80"))
                    .httpsPort(443).email("bench@bench.test").termsOfServiceAccepted(true).build()));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private X509Certificate sign(X500Name subject, KeyPair subjectKey, String dnsName, long serial) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=autocert4j bench CA"),
                    BigInteger.valueOf(serial), Date.from(notBefore), Date.from(notBefore.plus(Duration.ofDays(90))),
                    subject, subjectKey.getPublic());
            if (dnsName != null) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot make a fixture certificate", e);
        }
    }

    /** The choices exactly as the keeper writes them; its codec is internal to core, so it is called by name. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> encoded(EnrollmentRequest request) {
        try {
            return (Map<String, String>) Class.forName("dev.autocert4j.internal.EnrollmentCodec")
                    .getMethod("encode", EnrollmentRequest.class).invoke(null, request);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("run this on the class path: " + e, e);
        }
    }
}
