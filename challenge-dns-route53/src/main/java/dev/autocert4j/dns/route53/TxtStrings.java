package dev.autocert4j.dns.route53;

import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;

/**
 * TXT values as Route 53 writes them: one or more quoted character strings of at most 255 bytes, with
 * {@code \"} and {@code \\} escaped and other bytes possibly as {@code \ddd} octal escapes.
 */
final class TxtStrings {

    private static final int MAX_STRING_BYTES = 255;

    private TxtStrings() {
    }

    /** @return the value as Route 53 takes it, split into strings of at most 255 bytes */
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
                    quoted.append('\\').append(String.format("%03o", b));
                } else {
                    quoted.append((char) b);
                }
            }
            quoted.append('"');
            start = end;
        } while (start < bytes.length);
        return quoted.toString();
    }

    /** @return the text of a value Route 53 gave back: its strings joined, escapes undone */
    static String unquote(String record) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        boolean inString = false;
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            if (c == '"') {
                inString = !inString;
            } else if (c == '\\' && i + 1 < record.length()) {
                if (i + 3 < record.length() && isOctal(record, i + 1)) {
                    text.write(Integer.parseInt(record.substring(i + 1, i + 4), 8));
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

    private static boolean isOctal(String text, int from) {
        for (int i = from; i < from + 3; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
