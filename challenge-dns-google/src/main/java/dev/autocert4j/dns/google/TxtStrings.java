package dev.autocert4j.dns.google;

import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;

/**
 * TXT values in zone-file form, as Cloud DNS takes and gives them: one or more quoted character strings of at
 * most 255 bytes, with {@code \"} and {@code \\} escaped and other bytes as {@code \DDD} decimal escapes.
 */
final class TxtStrings {

    private static final int MAX_STRING_BYTES = 255;

    private TxtStrings() {
    }

    /** @return the value as Cloud DNS takes it, split into strings of at most 255 bytes */
    static String quote(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder quoted = new StringBuilder();
        int start = 0;
        do {
            int end = Math.min(bytes.length, start + MAX_STRING_BYTES);
            quoted.append(start == 0 ? "\"" : " \"");
            for (int i = start; i < end; i++) {
                int b = bytes[i] & 0xff;
                if (b == '"' || b == '\\') {
                    quoted.append('\\').append((char) b);
                } else if (b < 0x20 || b > 0x7e) {
                    quoted.append('\\').append(String.format("%03d", b));
                } else {
                    quoted.append((char) b);
                }
            }
            quoted.append('"');
            start = end;
        } while (start < bytes.length);
        return quoted.toString();
    }

    /** @return the text of a value Cloud DNS gave back: its strings joined, escapes undone */
    static String unquote(String record) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        boolean inString = false;
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            if (c == '"') {
                inString = !inString;
            } else if (c == '\\' && i + 1 < record.length()) {
                if (i + 3 < record.length() && isDecimal(record, i + 1)) {
                    text.write(Integer.parseInt(record.substring(i + 1, i + 4)));
                    i += 3;
                } else {
                    text.write(record.charAt(++i));
                }
            } else if (inString || c != ' ') {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                text.write(bytes, 0, bytes.length);
            }
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    private static boolean isDecimal(String text, int from) {
        for (int i = from; i < from + 3; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
