package dev.autocert4j.internal.caa;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One CAA resource record (RFC 8659 section 4.1): flags, a tag of 1 to 15 ASCII letters and
 * digits, and a value, the rest of the record. Parsed from the raw RDATA DNS returns.
 *
 * @param flags the flags octet
 * @param tag   the property tag, lower case (tags compare case-insensitively)
 * @param value the property value, one char per octet (ISO 8859-1), so no octet is lost or invented
 */
record CaaRecord(int flags, String tag, String value) {

    /** The Issuer Critical flag: a CA that does not know the tag must not issue. */
    static final int CRITICAL = 0x80;
    /** The tags a CA understands; a critical record with another one forbids issuance. */
    static final Set<String> KNOWN_TAGS = Set.of("issue", "issuewild", "iodef", "issuemail", "contactemail",
            "contactphone");
    private static final int LONGEST_TAG = 15;
    private static final int LONGEST_SHOWN_VALUE = 200;

    /**
     * Reads a record's RDATA.
     *
     * @param rdata the octets DNS returned, from an untrusted server
     * @return the record, or empty if it is truncated, has an empty or over-long tag, or a tag with
     *         other characters than ASCII letters and digits
     */
    static Optional<CaaRecord> parse(byte[] rdata) {
        if (rdata == null || rdata.length < 2) {
            return Optional.empty();
        }
        int flags = rdata[0] & 0xff;
        int tagLength = rdata[1] & 0xff;
        if (tagLength < 1 || tagLength > LONGEST_TAG || 2 + tagLength > rdata.length) {
            return Optional.empty();
        }
        for (int i = 2; i < 2 + tagLength; i++) {
            if (!isAsciiLetterOrDigit(rdata[i])) {
                return Optional.empty();
            }
        }
        String tag = new String(rdata, 2, tagLength, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        String value = new String(rdata, 2 + tagLength, rdata.length - 2 - tagLength, StandardCharsets.ISO_8859_1);
        return Optional.of(new CaaRecord(flags, tag, value));
    }

    private static boolean isAsciiLetterOrDigit(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
    }

    /** @return whether a CA that does not know the tag must refuse */
    boolean critical() {
        return (flags & CRITICAL) != 0;
    }

    /** @return whether the tag is one this check and the CA understand */
    boolean knownTag() {
        return KNOWN_TAGS.contains(tag);
    }

    /**
     * The record in zone-file form, such as {@code 0 issue "letsencrypt.org"}, safe to log: octets
     * outside printable ASCII, quotes and backslashes escaped, and a long value cut short.
     */
    @Override
    public String toString() {
        return flags + " " + tag + " \"" + printable(value) + "\"";
    }

    /** Zone-file escaping of an untrusted string, cut short past a length no real value reaches. */
    static String printable(String untrusted) {
        StringBuilder shown = new StringBuilder();
        int shownLength = Math.min(untrusted.length(), LONGEST_SHOWN_VALUE);
        for (int i = 0; i < shownLength; i++) {
            char c = untrusted.charAt(i);
            if (c == '"' || c == '\\') {
                shown.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                shown.append(String.format(Locale.ROOT, "\\%03d", (int) c & 0xff));
            } else {
                shown.append(c);
            }
        }
        if (untrusted.length() > shownLength) {
            shown.append("...(").append(untrusted.length()).append(" characters)");
        }
        return shown.toString();
    }

    /** Hex of RDATA that cannot be read, cut short, for the message that names it. */
    static String hex(byte[] rdata) {
        StringBuilder shown = new StringBuilder();
        int shownLength = Math.min(rdata.length, LONGEST_SHOWN_VALUE / 2);
        for (int i = 0; i < shownLength; i++) {
            shown.append(String.format(Locale.ROOT, "%02x", rdata[i] & 0xff));
        }
        return shown + (rdata.length > shownLength ? "...(" + rdata.length + " octets)" : "");
    }
}
