package dev.autocert4j.pkcs12;

import dev.autocert4j.PendingOrder;

import javax.crypto.Mac;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The file of a pending order, {@code pending-orders/<domain>.properties}: its names, CA directory,
 * order URL and time as text, the new certificate's private key encrypted with the store password as
 * an account key is, and an HMAC (keyed from the store password, as the metadata files are) over
 * every field and the domain, so that an edited file, or one copied from another domain, is refused.
 */
final class PendingOrderFile {

    private static final String FORMAT = "1";

    private final char[] password;
    private final MetadataFile metadataFiles;

    /**
     * @param password      the store password (not copied: the store owns it)
     * @param metadataFiles whose HMAC key the file is sealed with
     */
    PendingOrderFile(char[] password, MetadataFile metadataFiles) {
        this.password = password;
        this.metadataFiles = metadataFiles;
    }

    /** @return the file's content */
    byte[] write(PendingOrder order) throws IOException, GeneralSecurityException {
        Map<String, String> fields = new TreeMap<>();
        fields.put("format", FORMAT);
        fields.put("domain", order.domain());
        fields.put("names", String.join(",", order.names()));
        fields.put("caDirectory", order.caDirectory().toString());
        fields.put("orderLocation", order.orderLocation().toString());
        fields.put("createdAt", order.createdAt().toString());
        fields.put("keyAlgorithm", order.keyPair().getPublic().getAlgorithm());
        fields.put("publicKey", Base64.getEncoder().encodeToString(order.keyPair().getPublic().getEncoded()));
        fields.put("privateKey", Base64.getEncoder().encodeToString(
                AccountKeyCodec.encrypt(order.keyPair().getPrivate(), password)));
        Properties properties = new Properties();
        properties.putAll(fields);
        properties.setProperty("hmac", hmac(fields));
        java.io.StringWriter text = new java.io.StringWriter();
        properties.store(text, "The order about to be finalized for " + order.domain() + "; removed once its"
                + " certificate is stored. Any change makes autocert4j refuse it.");
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param domain  the domain the file was read for, in lower case
     * @param content the file's content
     * @return the order
     * @throws IOException saying why the file is refused: damaged, edited, of another domain, or its key unreadable
     */
    PendingOrder read(String domain, byte[] content) throws IOException, GeneralSecurityException {
        Map<String, String> fields = new TreeMap<>();
        try {
            Properties properties = new Properties();
            properties.load(new StringReader(new String(content, StandardCharsets.UTF_8)));
            properties.forEach((name, value) -> fields.put((String) name, (String) value));
        } catch (IllegalArgumentException e) {
            throw new IOException("it is damaged", e);
        }
        String hmac = fields.remove("hmac");
        if (hmac == null || !MessageDigest.isEqual(hmac.getBytes(StandardCharsets.US_ASCII),
                hmac(fields).getBytes(StandardCharsets.US_ASCII))) {
            throw new IOException("its HMAC does not verify: it was edited, or written with another store password");
        }
        if (!FORMAT.equals(fields.get("format")) || !domain.equals(fields.get("domain"))) {
            throw new IOException("it is the pending order of " + fields.get("domain") + ", not of " + domain);
        }
        PublicKey publicKey = AccountKeyCodec.publicKey(fields.get("keyAlgorithm"),
                Base64.getDecoder().decode(fields.get("publicKey")));
        PrivateKey privateKey = AccountKeyCodec.decrypt(Base64.getDecoder().decode(fields.get("privateKey")), password);
        try {
            return new PendingOrder(domain, List.of(fields.get("names").split(",")), URI.create(fields.get("caDirectory")),
                    URI.create(fields.get("orderLocation")), new KeyPair(publicKey, privateKey),
                    Instant.parse(fields.get("createdAt")));
        } catch (RuntimeException e) {
            throw new IOException("its fields cannot be read: " + e.getMessage(), e);
        }
    }

    private String hmac(Map<String, String> fields) throws GeneralSecurityException {
        StringBuilder canonical = new StringBuilder("pending order\n");
        fields.forEach((name, value) -> canonical.append(name).append('=').append(value).append('\n'));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(metadataFiles.key());
        return HexFormat.of().formatHex(mac.doFinal(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
