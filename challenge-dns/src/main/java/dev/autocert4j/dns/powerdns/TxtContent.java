package dev.autocert4j.dns.powerdns;

/** TXT record content in zone-file form, as PowerDNS takes and gives it: quoted strings with escapes. */
final class TxtContent {

    /** The longest character-string of a TXT record (RFC 1035). */
    private static final int MAX_STRING = 255;

    private TxtContent() {
    }

    /** Quotes a value, split into 255-character strings, escaping quotes and backslashes. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder();
        for (int start = 0; start == 0 || start < value.length(); start += MAX_STRING) {
            String part = value.substring(start, Math.min(value.length(), start + MAX_STRING));
            out.append(out.isEmpty() ? "" : " ").append('"')
                    .append(part.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.toString();
    }

    /** The value of quoted content: its strings joined, escapes undone; unquoted text is taken as it is. */
    static String unquote(String content) {
        if (content == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < content.length()) {
            char c = content.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '"') {
                i = quoted(content, i + 1, out);
            } else {
                int end = content.indexOf(' ', i);
                end = end < 0 ? content.length() : end;
                out.append(content, i, end);
                i = end;
            }
        }
        return out.toString();
    }

    private static int quoted(String content, int start, StringBuilder out) {
        int i = start;
        while (i < content.length()) {
            char c = content.charAt(i++);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i < content.length()) {
                char escaped = content.charAt(i);
                if (i + 3 <= content.length() && content.substring(i, i + 3).chars().allMatch(Character::isDigit)) {
                    out.append((char) Integer.parseInt(content.substring(i, i + 3)));
                    i += 3;
                } else {
                    out.append(escaped);
                    i++;
                }
            } else {
                out.append(c);
            }
        }
        return i;
    }
}
