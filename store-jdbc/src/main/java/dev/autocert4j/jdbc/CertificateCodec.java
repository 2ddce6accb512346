package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

/**
 * How a certificate becomes text and sealed bytes, and back: metadata as text (instants exactly as
 * saved), the chain as PEM, the private key as sealed PKCS#8 bound to its domain. Used for the
 * database's rows and for the local copy.
 */
final class CertificateCodec {

    private CertificateCodec() {
    }

    /** The sealing context of a certificate's private key: a key moved to another domain's row does not open. */
    static String keyRow(String domain) {
        return "certificate:" + domain;
    }

    static String chainPem(IssuedCertificate certificate) {
        return certificate.chainPem();
    }

    static byte[] sealedKey(IssuedCertificate certificate, StoreKey key) {
        return key.seal(certificate.privateKey().getEncoded(), keyRow(certificate.metadata().domain()));
    }

    static List<X509Certificate> chain(String pem) throws GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate certificate : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            chain.add((X509Certificate) certificate);
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate in the stored chain");
        }
        return chain;
    }

    static PrivateKey privateKey(String algorithm, byte[] sealed, String row, StoreKey key) throws GeneralSecurityException {
        byte[] pkcs8 = key.open(sealed, row);
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /**
     * Whether a private key is the one of a certificate: it signs a random challenge the certificate's
     * public key verifies.
     */
    static boolean keyMatches(PrivateKey privateKey, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new GeneralSecurityException("unknown key algorithm " + privateKey.getAlgorithm());
        };
        byte[] challenge = new byte[32];
        new java.security.SecureRandom().nextBytes(challenge);
        java.security.Signature signer = java.security.Signature.getInstance(algorithm);
        signer.initSign(privateKey);
        signer.update(challenge);
        byte[] signature = signer.sign();
        java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
        try {
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
            return false; // a key of another type than the certificate's
        }
    }

    /** The metadata as the properties of the local copy (the database has a column for each). */
    static Properties metadataProperties(CertificateMetadata metadata) {
        Properties properties = new Properties();
        properties.setProperty("domain", metadata.domain());
        properties.setProperty("names", String.join(",", metadata.names()));
        properties.setProperty("serialNumber", metadata.serialNumber());
        properties.setProperty("issuer", metadata.issuer());
        properties.setProperty("issuedAt", metadata.issuedAt().toString());
        properties.setProperty("notBefore", metadata.notBefore().toString());
        properties.setProperty("notAfter", metadata.notAfter().toString());
        if (metadata.caDirectory() != null) {
            properties.setProperty("caDirectory", metadata.caDirectory().toString());
        }
        if (metadata.accountLocation() != null) {
            properties.setProperty("accountLocation", metadata.accountLocation().toString());
        }
        return properties;
    }

    static CertificateMetadata metadata(String domain, String names, String serialNumber, String issuer, String issuedAt,
                                        String notBefore, String notAfter, String caDirectory, String accountLocation) {
        return CertificateMetadata.builder().domain(domain).names(List.of(names.split(",")))
                .serialNumber(serialNumber).issuer(issuer).issuedAt(Instant.parse(issuedAt))
                .notBefore(Instant.parse(notBefore)).notAfter(Instant.parse(notAfter))
                .caDirectory(caDirectory == null ? null : URI.create(caDirectory))
                .accountLocation(accountLocation == null ? null : URI.create(accountLocation)).build();
    }

    static CertificateMetadata metadata(Properties properties) {
        return metadata(properties.getProperty("domain"), properties.getProperty("names"),
                properties.getProperty("serialNumber"), properties.getProperty("issuer"), properties.getProperty("issuedAt"),
                properties.getProperty("notBefore"), properties.getProperty("notAfter"),
                properties.getProperty("caDirectory"), properties.getProperty("accountLocation"));
    }

    /** The whole certificate as one sealed value, for the local copy. */
    static byte[] sealWhole(IssuedCertificate certificate, StoreKey key, String row) {
        Properties properties = metadataProperties(certificate.metadata());
        properties.setProperty("chain", chainPem(certificate));
        properties.setProperty("keyAlgorithm", certificate.privateKey().getAlgorithm());
        properties.setProperty("key", Base64.getEncoder().encodeToString(certificate.privateKey().getEncoded()));
        StringWriter text = new StringWriter();
        try {
            properties.store(text, null);
        } catch (IOException e) {
            throw new IllegalStateException("a StringWriter does not fail", e);
        }
        return key.seal(text.toString().getBytes(StandardCharsets.UTF_8), row);
    }

    static IssuedCertificate openWhole(byte[] sealed, StoreKey key, String row) throws GeneralSecurityException, IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(new String(key.open(sealed, row), StandardCharsets.UTF_8)));
        byte[] pkcs8 = Base64.getDecoder().decode(properties.getProperty("key"));
        try {
            PrivateKey privateKey = KeyFactory.getInstance(properties.getProperty("keyAlgorithm"))
                    .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new IssuedCertificate(chain(properties.getProperty("chain")), privateKey, metadata(properties));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }
}
