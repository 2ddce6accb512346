package dev.autocert4j.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text in BIND's configuration grammar (named.conf, key files) into tokens: words, quoted
 * strings (kept with their quotes), and the punctuation {@code { } ;}. Comments in its three styles
 * ({@code #} and {@code //} to the end of the line, {@code /* ... *}{@code /}) are dropped, but only
 * outside quoted strings: a base64 secret may well contain {@code //}.
 */
final class BindConfigTokens {

    private BindConfigTokens() {
    }

    /**
     * @param text the configuration text
     * @return its tokens, in order
     * @throws IllegalArgumentException for a string or block comment that is never closed
     */
    static List<String> of(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || text.startsWith("//", i)) {
                i = endOfLine(text, i);
            } else if (text.startsWith("/*", i)) {
                int close = text.indexOf("*/", i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("has a '/*' comment that is never closed");
                }
                i = close + 2;
            } else if (c == '"') {
                int close = closingQuote(text, i);
                tokens.add(text.substring(i, close + 1));
                i = close + 1;
            } else if (c == '{' || c == '}' || c == ';') {
                tokens.add(String.valueOf(c));
                i++;
            } else {
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))
                        && "{};\"#".indexOf(text.charAt(end)) < 0 && !text.startsWith("//", end)
                        && !text.startsWith("/*", end)) {
                    end++;
                }
                tokens.add(text.substring(i, end));
                i = end;
            }
        }
        return tokens;
    }

    /**
     * @param token a word or a quoted string
     * @return the word, or the string without its quotes and escapes
     */
    static String unquote(String token) {
        if (token.length() < 2 || token.charAt(0) != '"') {
            return token;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < token.length() - 1; i++) {
            char c = token.charAt(i);
            if (c == '\\' && i + 1 < token.length() - 1) {
                c = token.charAt(++i);
            }
            text.append(c);
        }
        return text.toString();
    }

    private static int endOfLine(String text, int from) {
        int newline = text.indexOf('\n', from);
        return newline < 0 ? text.length() : newline + 1;
    }

    private static int closingQuote(String text, int open) {
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        throw new IllegalArgumentException("has a quoted string that is never closed");
    }
}
