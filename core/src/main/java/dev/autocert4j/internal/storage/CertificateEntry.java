package dev.autocert4j.internal.storage;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.IssuedCertificate;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A certificate as the fields of its entry, and back: the chain as PEM (end-entity certificate
 * first), the private key as PKCS#8 encrypted with the store key for this name, and what the
 * certificate cannot say itself (when it was obtained, from which CA and account). Names, validity,
 * serial number and issuer are always read from the certificate, never from a field.
 */
final class CertificateEntry {

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateEntry() {
    }

    /** The encryption context of a certificate's key: a key moved to another name's entry does not decrypt. */
    private static String keyContext(String name) {
        return "certificate:" + name;
    }

    static Map<String, String> fields(IssuedCertificate certificate, String name, StoreSecrets secrets) {
        CertificateMetadata metadata = certificate.metadata();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("issuedAt", metadata.issuedAt().toString());
        fields.put("caDirectory", text(metadata.caDirectory()));
        fields.put("accountLocation", text(metadata.accountLocation()));
        fields.put("chain", certificate.chainPem());
        fields.put("keyAlgorithm", certificate.privateKey().getAlgorithm());
        byte[] pkcs8 = certificate.privateKey().getEncoded();
        try {
            fields.put("key", Base64.getEncoder().encodeToString(secrets.encrypt(pkcs8, keyContext(name))));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        return fields;
    }

    /**
     * @return the metadata of a verified entry, read from its certificate, which must name the entry's name
     * @throws GeneralSecurityException if the chain cannot be read or does not name it
     */
    static CertificateMetadata metadata(String name, SealedEntry entry) throws GeneralSecurityException {
        return metadata(name, entry, chain(required(entry, "chain")));
    }

    /**
     * @return the whole certificate of a verified entry, its key decrypted and matched to the certificate
     * @throws GeneralSecurityException if anything does not hold
     */
    static IssuedCertificate certificate(String name, SealedEntry entry, StoreSecrets secrets)
            throws GeneralSecurityException {
        List<X509Certificate> chain = chain(required(entry, "chain"));
        CertificateMetadata metadata = metadata(name, entry, chain);
        byte[] pkcs8 = secrets.decrypt(decode(required(entry, "key")), keyContext(name));
        PrivateKey privateKey;
        try {
            privateKey = KeyFactory.getInstance(required(entry, "keyAlgorithm"))
                    .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        if (!keyMatches(privateKey, chain.get(0))) {
            throw new GeneralSecurityException("its key is not the certificate's key");
        }
        return new IssuedCertificate(chain, privateKey, metadata);
    }

    private static CertificateMetadata metadata(String name, SealedEntry entry, List<X509Certificate> chain)
            throws GeneralSecurityException {
        CertificateMetadata metadata;
        try {
            metadata = CertificateMetadata.of(name, chain.get(0), Instant.parse(required(entry, "issuedAt")),
                    uri(entry.fields().get("caDirectory")), uri(entry.fields().get("accountLocation")));
        } catch (RuntimeException e) {
            throw new GeneralSecurityException("its fields cannot be read: " + e.getMessage(), e);
        }
        if (!metadata.names().contains(name)) {
            throw new GeneralSecurityException("its certificate does not name " + name);
        }
        return metadata;
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

    /** Whether a private key is the certificate's: it signs a random challenge the certificate's key verifies. */
    static boolean keyMatches(PrivateKey privateKey, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new GeneralSecurityException("unknown key algorithm " + privateKey.getAlgorithm());
        };
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(privateKey);
        signer.update(challenge);
        byte[] signature = signer.sign();
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            return false; // a key of another type than the certificate's
        }
    }

    static String required(SealedEntry entry, String field) throws GeneralSecurityException {
        String value = entry.fields().get(field);
        if (value == null || value.isEmpty()) {
            throw new GeneralSecurityException("its field '" + field + "' is missing");
        }
        return value;
    }

    static byte[] decode(String base64) throws GeneralSecurityException {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("a field is not base64");
        }
    }

    private static String text(URI uri) {
        return uri == null ? null : uri.toString();
    }

    private static URI uri(String text) {
        return text == null ? null : URI.create(text);
    }
}
