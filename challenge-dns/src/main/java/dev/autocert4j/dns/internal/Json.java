package dev.autocert4j.dns.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small, strict JSON reader and writer for the DNS APIs' answers and requests. Values are plain
 * Java objects: {@code Map<String, Object>} (keys in order), {@code List<Object>}, {@code String},
 * {@code BigDecimal}, {@code Boolean} and {@code null}. Reading is bounded in size and nesting depth,
 * refuses duplicate keys, trailing text, comments, leading zeros and unescaped control characters.
 */
public final class Json {

    /** The longest text read, in characters. */
    public static final int MAX_LENGTH = 4 * 1024 * 1024;
    /** The deepest nesting of objects and arrays read. */
    public static final int MAX_DEPTH = 64;

    private final String text;
    private int position;

    private Json(String text) {
        this.text = text;
    }

    /**
     * Reads one JSON value.
     *
     * @param text the JSON text
     * @return the value
     * @throws JsonException if the text is not strict JSON, is longer than {@link #MAX_LENGTH} or
     *                       nests deeper than {@link #MAX_DEPTH}
     */
    public static Object parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_LENGTH) {
            throw new JsonException("is longer than " + MAX_LENGTH + " characters");
        }
        Json reader = new Json(text);
        reader.skipWhitespace();
        Object value = reader.value(0);
        reader.skipWhitespace();
        if (reader.position != text.length()) {
            throw reader.error("has text after the value");
        }
        return value;
    }

    /**
     * Writes a value as compact JSON.
     *
     * @param value a map with string keys, a list, a string, a number, a boolean or {@code null}
     * @return the JSON text
     * @throws IllegalArgumentException if the value holds anything else, or a number that is not finite
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.toString();
    }

    /**
     * @param value a value read by {@link #parse}
     * @param what  what it is, for the message
     * @return it, as an object
     * @throws JsonException if it is not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> asObject(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new JsonException(what + " is not a JSON object");
    }

    /**
     * @param value a value read by {@link #parse}
     * @param what  what it is, for the message
     * @return it, as an array
     * @throws JsonException if it is not an array
     */
    @SuppressWarnings("unchecked")
    public static List<Object> asArray(Object value, String what) {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new JsonException(what + " is not a JSON array");
    }

    /**
     * @param object an object read by {@link #parse}
     * @param key    a member's name
     * @return the member as a string, or {@code null} if it is missing or null
     * @throws JsonException if it is there but not a string
     */
    public static String string(Map<String, Object> object, String key) {
        Object value = object.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new JsonException("member '" + key + "' is not a string");
    }

    /**
     * @param object an object read by {@link #parse}
     * @param key    a member's name
     * @return the member as an array; empty if it is missing or null
     * @throws JsonException if it is there but not an array
     */
    public static List<Object> array(Map<String, Object> object, String key) {
        Object value = object.get(key);
        return value == null ? List.of() : asArray(value, "member '" + key + "'");
    }

    // ---- reading

    private Object value(int depth) {
        if (position >= text.length()) {
            throw error("ends where a value was expected");
        }
        char c = text.charAt(position);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("has an unexpected character '" + printable(c) + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        position++;
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            position++;
            return Collections.unmodifiableMap(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("has an object key that is not a string");
            }
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value(depth);
            if (members.containsKey(key)) {
                throw error("has the key '" + key + "' twice in one object");
            }
            members.put(key, value);
            skipWhitespace();
            char next = next();
            if (next == '}') {
                return Collections.unmodifiableMap(members);
            }
            if (next != ',') {
                throw error("misses a ',' or '}' in an object");
            }
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        position++;
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            position++;
            return Collections.unmodifiableList(items);
        }
        while (true) {
            skipWhitespace();
            items.add(value(depth));
            skipWhitespace();
            char next = next();
            if (next == ']') {
                return Collections.unmodifiableList(items);
            }
            if (next != ',') {
                throw error("misses a ',' or ']' in an array");
            }
        }
    }

    private String string() {
        position++;
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("has a control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = next();
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> throw error("has an unknown escape '\\" + printable(escaped) + "'");
            }
        }
    }

    private char unicodeEscape() {
        if (position + 4 > text.length()) {
            throw error("ends inside a \\u escape");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(position++), 16);
            if (digit < 0) {
                throw error("has a \\u escape that is not four hex digits");
            }
            code = code * 16 + digit;
        }
        return (char) code;
    }

    private BigDecimal number() {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        if (peek() == '0') {
            position++;
            if (isDigit(peek())) {
                throw error("has a number with a leading zero");
            }
        } else {
            digits();
        }
        if (peek() == '.') {
            position++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            position++;
            if (peek() == '+' || peek() == '-') {
                position++;
            }
            digits();
        }
        String literal = text.substring(start, position);
        if (literal.length() > 100) {
            throw error("has a number longer than 100 characters");
        }
        return new BigDecimal(literal);
    }

    private void digits() {
        if (!isDigit(peek())) {
            throw error("has a number without digits where digits belong");
        }
        while (isDigit(peek())) {
            position++;
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, position)) {
            throw error("has an unknown word");
        }
        position += word.length();
        return value;
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private void expect(char expected) {
        if (next() != expected) {
            throw error("misses a '" + expected + "'");
        }
    }

    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private char next() {
        if (position >= text.length()) {
            throw error("ends too early");
        }
        return text.charAt(position++);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private JsonException error(String problem) {
        return new JsonException(problem + " at character " + position);
    }

    // ---- writing

    private static void write(Object value, StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("The value nests deeper than " + MAX_DEPTH + " levels");
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            writeString(text, out);
        } else if (value instanceof Boolean bool) {
            out.append(bool);
        } else if (value instanceof Number number) {
            writeNumber(number, out);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> member : map.entrySet()) {
                if (!(member.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("A JSON object key must be a string: " + member.getKey());
                }
                out.append(first ? "" : ",");
                first = false;
                writeString(key, out);
                out.append(':');
                write(member.getValue(), out, depth + 1);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(list.get(i), out, depth + 1);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("Cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void writeNumber(Number number, StringBuilder out) {
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
        }
        out.append(number instanceof BigDecimal decimal ? decimal.toString() : number.toString());
    }

    private static void writeString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
