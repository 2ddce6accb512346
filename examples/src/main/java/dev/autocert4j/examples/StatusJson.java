package dev.autocert4j.examples;

import dev.autocert4j.CertificateStatus;
import dev.autocert4j.CheckResult;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Writes a {@link CertificateStatus} as one JSON object, instants in ISO-8601. */
final class StatusJson {

    private StatusJson() {
    }

    static String of(CertificateStatus status) {
        return write(fields(status));
    }

    /** A certificate's status after a check, with what the check did, the condition it left and why. */
    static String of(CheckResult.Outcome outcome) {
        Map<String, Object> fields = fields(outcome.status());
        fields.put("outcome", outcome.action().name().toLowerCase(Locale.ROOT));
        fields.put("condition", outcome.condition().name().toLowerCase(Locale.ROOT));
        fields.put("reason", outcome.reason());
        return write(fields);
    }

    /** What {@code rollover-account-key} prints: the account, which keeps its URL. */
    static String keyRolledOver(java.net.URI account) {
        return "{\"account\":" + quote(account.toString()) + ",\"keyRolledOver\":true}";
    }

    /** What {@code unmanage} prints: the domain no longer renewed. */
    static String unmanaged(String domain) {
        return "{\"domain\":" + quote(domain) + ",\"managed\":false}";
    }

    /** The admin page's {@code state.json}: whether an action runs, its stage and its error. */
    static String progress(boolean running, String stage, String error) {
        return "{\"running\":" + running + ",\"stage\":" + (stage == null ? "null" : quote(stage))
                + ",\"error\":" + (error == null ? "null" : quote(error)) + "}";
    }

    private static Map<String, Object> fields(CertificateStatus status) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("domain", status.domain());
        fields.put("lastRenewed", status.lastRenewed());
        fields.put("notBefore", status.notBefore());
        fields.put("notAfter", status.notAfter());
        fields.put("serial", status.serialNumber());
        fields.put("issuer", status.issuer());
        fields.put("nextCheck", status.nextCheck());
        fields.put("lastAttempt", status.lastAttempt());
        fields.put("lastError", status.lastError());
        fields.put("installResult", status.installResult());
        fields.put("names", String.join(",", status.names()));
        fields.put("pausedUntil", status.pausedUntil().orElse(null));
        fields.put("renewalLockHolder", status.renewalLockHolder().map(holder -> holder.owner()).orElse(null));
        fields.put("renewalLockSince", status.renewalLockHolder().map(holder -> holder.since()).orElse(null));
        return fields;
    }

    private static String write(Map<String, Object> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(name)).append(':').append(value == null ? "null" : quote(value.toString()));
        });
        return json.append('}').toString();
    }

    static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Reads back the few fields a saved status keeps beyond the store: a deliberately tiny parser for our own output. */
    static Map<String, String> parseFlat(String json) {
        Map<String, String> fields = new LinkedHashMap<>();
        var matcher = java.util.regex.Pattern.compile("\"(\\w+)\":(null|\"((?:[^\"\\\\]|\\\\.)*)\")").matcher(json);
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(3) == null ? null : unescape(matcher.group(3)));
        }
        return fields;
    }

    private static String unescape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                sb.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(next);
            }
        }
        return sb.toString();
    }

    static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
