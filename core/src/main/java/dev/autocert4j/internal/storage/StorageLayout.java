package dev.autocert4j.internal.storage;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Where each entry lives in a storage: {@code certificates/<name>}, {@code enrollments/<name>},
 * {@code accounts/<hash of the CA directory>}, {@code pending-orders/<name>}. A name becomes one key segment: lower-case letters,
 * digits, {@code -} and inner dots stay; every other byte (such as {@code :} of an IPv6 address or
 * {@code *} of a wildcard) becomes {@code _} and two hex digits, so the mapping is reversible and no
 * name escapes its folder.
 */
final class StorageLayout {

    static final String CERTIFICATES = "certificates/";
    static final String ENROLLMENTS = "enrollments/";
    static final String ACCOUNTS = "accounts/";
    static final String PENDING_ORDERS = "pending-orders/";

    private StorageLayout() {
    }

    /** @return the name in the form entries keep it: lower case */
    static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static String certificateKey(String name) {
        return CERTIFICATES + segment(name);
    }

    static String enrollmentKey(String name) {
        return ENROLLMENTS + segment(name);
    }

    static String pendingOrderKey(String name) {
        return PENDING_ORDERS + segment(name);
    }

    static String accountKey(URI caDirectory) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(caDirectory.toString().getBytes(StandardCharsets.UTF_8));
            return ACCOUNTS + HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** @return the name a key under {@code folder} stands for, if it is one {@link #segment} made */
    static Optional<String> nameOf(String folder, String key) {
        if (!key.startsWith(folder) || key.indexOf('/', folder.length()) >= 0) {
            return Optional.empty();
        }
        return unsegment(key.substring(folder.length()));
    }

    static String segment(String name) {
        byte[] utf8 = canonical(name).getBytes(StandardCharsets.UTF_8);
        StringBuilder segment = new StringBuilder();
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xFF;
            boolean kept = (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || (b == '.' && i > 0);
            if (kept) {
                segment.append((char) b);
            } else {
                segment.append('_').append(HexFormat.of().toHexDigits((byte) b));
            }
        }
        return segment.toString();
    }

    private static Optional<String> unsegment(String segment) {
        byte[] utf8 = new byte[segment.length()];
        int length = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '_') {
                try {
                    utf8[length++] = (byte) HexFormat.fromHexDigits(segment, i + 1, i + 3);
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    return Optional.empty();
                }
                i += 2;
            } else {
                utf8[length++] = (byte) c;
            }
        }
        String name = new String(utf8, 0, length, StandardCharsets.UTF_8);
        return segment(name).equals(segment) ? Optional.of(name) : Optional.empty();
    }
}
