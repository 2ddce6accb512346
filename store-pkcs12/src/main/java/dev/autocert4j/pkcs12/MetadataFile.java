package dev.autocert4j.pkcs12;

import dev.autocert4j.CertificateMetadata;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The metadata file beside each PKCS#12 file, which lets renewal checks run without decrypting
 * any key. It names the SHA-256 of the PKCS#12 file it belongs to and carries an HMAC-SHA256 over
 * all its content, keyed from the store password: an edited, damaged, foreign or stale file is
 * never trusted (the caller reads the certificate itself instead and writes the file anew).
 */
final class MetadataFile {

    private static final String FORMAT = "2";
    private static final byte[] KEY_SALT = "autocert4j pkcs12 store metadata".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_ITERATIONS = 10_000;

    private final char[] password;
    private volatile SecretKeySpec key;

    /** @param password the store password the HMAC key is derived from (not copied: the store owns it) */
    MetadataFile(char[] password) {
        this.password = password;
    }

    /**
     * @param metadata     what to write
     * @param pkcs12Sha256 the SHA-256 of the PKCS#12 file it belongs to
     * @return the file's content
     */
    byte[] write(CertificateMetadata metadata, String pkcs12Sha256) {
        Map<String, String> fields = new TreeMap<>();
        fields.put("format", FORMAT);
        fields.put("domain", metadata.domain());
        fields.put("names", String.join(",", metadata.names()));
        fields.put("issuedAt", metadata.issuedAt().toString());
        fields.put("notBefore", metadata.notBefore().toString());
        fields.put("notAfter", metadata.notAfter().toString());
        fields.put("serialNumber", metadata.serialNumber());
        fields.put("issuer", metadata.issuer());
        if (metadata.caDirectory() != null) {
            fields.put("caDirectory", metadata.caDirectory().toString());
        }
        if (metadata.accountLocation() != null) {
            fields.put("accountLocation", metadata.accountLocation().toString());
        }
        fields.put("pkcs12Sha256", pkcs12Sha256);
        StringBuilder text = new StringBuilder("# Certificate metadata for ").append(metadata.domain())
                .append(". Any change makes autocert4j ignore this file and write it anew.\n");
        fields.forEach((name, value) -> text.append(escape(name)).append('=').append(escape(value)).append('\n'));
        text.append("hmac=").append(hmac(fields)).append('\n');
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param domain       the domain the file is for
     * @param content      the file's content
     * @param pkcs12Sha256 the SHA-256 of the PKCS#12 file as it is now
     * @return the metadata, if the file is whole, untouched and belongs to that PKCS#12 file
     */
    Optional<CertificateMetadata> read(String domain, byte[] content, String pkcs12Sha256) {
        Map<String, String> fields = new TreeMap<>();
        String hmac;
        try {
            Properties properties = new Properties();
            properties.load(new StringReader(new String(content, StandardCharsets.UTF_8)));
            properties.forEach((name, value) -> fields.put((String) name, (String) value));
            hmac = fields.remove("hmac");
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        if (hmac == null || !MessageDigest.isEqual(hmac.getBytes(StandardCharsets.US_ASCII),
                hmac(fields).getBytes(StandardCharsets.US_ASCII))
                || !FORMAT.equals(fields.get("format")) || !pkcs12Sha256.equals(fields.get("pkcs12Sha256"))
                || !domain.equals(fields.get("domain"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(CertificateMetadata.builder().domain(domain)
                    .names(List.of(fields.get("names").split(",")))
                    .issuedAt(Instant.parse(fields.get("issuedAt")))
                    .notBefore(Instant.parse(fields.get("notBefore")))
                    .notAfter(Instant.parse(fields.get("notAfter")))
                    .serialNumber(fields.get("serialNumber")).issuer(fields.get("issuer"))
                    .caDirectory(optionalUri(fields.get("caDirectory")))
                    .accountLocation(optionalUri(fields.get("accountLocation"))).build());
        } catch (RuntimeException e) {
            return Optional.empty(); // authentic but unreadable: written by a version that wrote nonsense
        }
    }

    private String hmac(Map<String, String> fields) {
        StringBuilder canonical = new StringBuilder();
        fields.forEach((name, value) -> canonical.append(name).append('=').append(value).append('\n'));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            return HexFormat.of().formatHex(mac.doFinal(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }

    /**
     * The HMAC key, also of {@code store.index}. Derived once per store object: a key derivation
     * for each of thousands of checks would cost seconds.
     */
    SecretKeySpec key() throws GeneralSecurityException {
        SecretKeySpec derived = key;
        if (derived == null) {
            derived = JdkPbeOperators.pbkdf2("PBKDF2WithHmacSHA256", password, KEY_SALT, KEY_ITERATIONS, "HmacSHA256");
            key = derived;
        }
        return derived;
    }

    /** Escapes what {@link Properties#load} would otherwise read differently. */
    private static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\', '=', ':', '#', '!' -> sb.append('\\').append(c);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        String escaped = sb.toString();
        return escaped.startsWith(" ") ? "\\" + escaped : escaped;
    }

    private static URI optionalUri(String value) {
        return value == null || value.isEmpty() ? null : URI.create(value);
    }
}
