package dev.autocert4j.internal.storage;

import dev.autocert4j.AcmeAccount;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place an {@link AcmeAccount} becomes the fields of its entry and back: a field added to
 * the account is one change here (contacts and the accepted Terms of Service link were). The private
 * key is encrypted with the store key for this CA directory; the rest is sealed with the entry, so an
 * edited contact or Terms of Service link is refused like any other edit. Entries written before a
 * field existed read it as absent.
 */
final class AccountCodec {

    private AccountCodec() {
    }

    /** The encryption context of an account key: a key moved to another directory's entry does not decrypt. */
    private static String keyContext(URI caDirectory) {
        return "account:" + caDirectory;
    }

    static Map<String, String> fields(AcmeAccount account, StoreSecrets secrets) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("directory", account.caDirectory().toString());
        fields.put("location", account.location() == null ? null : account.location().toString());
        fields.put("contacts", String.join("\n", account.contacts()));
        fields.put("acceptedTermsOfService", account.acceptedTermsOfService().map(URI::toString).orElse(null));
        fields.put("keyAlgorithm", account.keyPair().getPublic().getAlgorithm());
        fields.put("publicKey", Base64.getEncoder().encodeToString(account.keyPair().getPublic().getEncoded()));
        byte[] pkcs8 = account.keyPair().getPrivate().getEncoded();
        try {
            fields.put("privateKey", Base64.getEncoder().encodeToString(
                    secrets.encrypt(pkcs8, keyContext(account.caDirectory()))));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        return fields;
    }

    /**
     * @param caDirectory the directory the account was asked for
     * @param entry       a verified entry
     * @return the account
     * @throws GeneralSecurityException if a field is missing, the key does not decrypt, or the entry is of another directory
     */
    static AcmeAccount account(URI caDirectory, SealedEntry entry, StoreSecrets secrets) throws GeneralSecurityException {
        if (!caDirectory.toString().equals(CertificateEntry.required(entry, "directory"))) {
            throw new GeneralSecurityException("it is the account of another CA directory");
        }
        String algorithm = CertificateEntry.required(entry, "keyAlgorithm");
        KeyFactory keys = KeyFactory.getInstance(algorithm);
        PublicKey publicKey = keys.generatePublic(new X509EncodedKeySpec(
                CertificateEntry.decode(CertificateEntry.required(entry, "publicKey"))));
        byte[] pkcs8 = secrets.decrypt(CertificateEntry.decode(CertificateEntry.required(entry, "privateKey")),
                keyContext(caDirectory));
        PrivateKey privateKey;
        try {
            privateKey = keys.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        String contacts = entry.fields().get("contacts");
        try {
            return new AcmeAccount(caDirectory, new KeyPair(publicKey, privateKey), uri(entry.fields().get("location")),
                    contacts == null || contacts.isEmpty() ? List.of() : List.of(contacts.split("\n")),
                    uri(entry.fields().get("acceptedTermsOfService")));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("its location or Terms of Service link is not a URL", e);
        }
    }

    private static URI uri(String text) {
        return text == null || text.isEmpty() ? null : URI.create(text);
    }
}
