package dev.autocert4j.admin;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Writes the JSON API's answers: maps as objects (in their order), collections as arrays, numbers
 * and booleans as such, {@code null} as null, instants in ISO-8601, everything else as a string.
 */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        StringBuilder json = new StringBuilder();
        write(value, json);
        return json.toString();
    }

    private static void write(Object value, StringBuilder json) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof Map<?, ?> map) {
            json.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> field : map.entrySet()) {
                json.append(first ? "" : ",");
                string(field.getKey().toString(), json);
                json.append(':');
                write(field.getValue(), json);
                first = false;
            }
            json.append('}');
        } else if (value instanceof Collection<?> items) {
            json.append('[');
            boolean first = true;
            for (Object item : items) {
                json.append(first ? "" : ",");
                write(item, json);
                first = false;
            }
            json.append(']');
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            json.append(value);
        } else if (value instanceof Instant instant) {
            string(instant.toString(), json);
        } else {
            string(value.toString(), json);
        }
    }

    private static void string(String text, StringBuilder json) {
        json.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '<' -> json.append("\\u003c"); // never read as markup, even if sniffed
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
