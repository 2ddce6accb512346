package dev.autocert4j.spi;

import java.util.regex.Pattern;

/** The alphabet of {@link Storage} keys, kept out of the interface's public members. */
final class StorageKeyAlphabet {

    static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private StorageKeyAlphabet() {
    }

    /** A key as it may be put in a message: control characters shown by code, and cut at 80. */
    static String printable(String key) {
        StringBuilder text = new StringBuilder();
        key.codePoints().limit(80).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                text.append(String.format("\\u%04x", c));
            } else {
                text.appendCodePoint(c);
            }
        });
        return text.toString();
    }
}
