package dev.autocert4j.internal.storage;

import dev.autocert4j.PendingOrder;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link PendingOrder} as the fields of its entry, and back: the names, CA directory, order URL and
 * time in fields the entry's seal covers, the private key encrypted with the store key for this
 * name (as a certificate's key is), the public key beside it, and the two matched when read.
 */
final class PendingOrderCodec {

    private PendingOrderCodec() {
    }

    /** The encryption context of a pending order's key: a key moved to another name's entry does not decrypt. */
    private static String keyContext(String name) {
        return "pending-order:" + name;
    }

    static Map<String, String> fields(PendingOrder order, String name, StoreSecrets secrets) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("names", String.join("\n", order.names()));
        fields.put("caDirectory", order.caDirectory().toString());
        fields.put("orderLocation", order.orderLocation().toString());
        fields.put("createdAt", order.createdAt().toString());
        fields.put("keyAlgorithm", order.keyPair().getPrivate().getAlgorithm());
        fields.put("publicKey", Base64.getEncoder().encodeToString(order.keyPair().getPublic().getEncoded()));
        byte[] pkcs8 = order.keyPair().getPrivate().getEncoded();
        try {
            fields.put("key", Base64.getEncoder().encodeToString(secrets.encrypt(pkcs8, keyContext(name))));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        return fields;
    }

    /**
     * @return the order of a verified entry, its key decrypted and matched to its public key
     * @throws GeneralSecurityException if a field is missing, the key does not decrypt or does not match
     */
    static PendingOrder order(String name, SealedEntry entry, StoreSecrets secrets) throws GeneralSecurityException {
        KeyFactory keys = KeyFactory.getInstance(CertificateEntry.required(entry, "keyAlgorithm"));
        PublicKey publicKey = keys.generatePublic(new X509EncodedKeySpec(
                CertificateEntry.decode(CertificateEntry.required(entry, "publicKey"))));
        byte[] pkcs8 = secrets.decrypt(CertificateEntry.decode(CertificateEntry.required(entry, "key")), keyContext(name));
        PrivateKey privateKey;
        try {
            privateKey = keys.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        try {
            return new PendingOrder(name, List.of(CertificateEntry.required(entry, "names").split("\n")),
                    URI.create(CertificateEntry.required(entry, "caDirectory")),
                    URI.create(CertificateEntry.required(entry, "orderLocation")), new KeyPair(publicKey, privateKey),
                    Instant.parse(CertificateEntry.required(entry, "createdAt")));
        } catch (RuntimeException e) {
            throw new GeneralSecurityException("its fields cannot be read: " + e.getMessage(), e);
        }
    }
}
