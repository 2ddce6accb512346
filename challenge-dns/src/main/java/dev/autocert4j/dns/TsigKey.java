package dev.autocert4j.dns;

import dev.autocert4j.InvalidInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A TSIG key (RFC 8945) that signs dynamic updates: its name, HMAC algorithm and secret. The
 * secret is never shown by {@link #toString()}.
 *
 * @since 0.2.0
 */
public final class TsigKey {

    private final String name;
    private final String algorithm;
    private final String secret;

    /**
     * @param name      the key's name, as the DNS server knows it
     * @param algorithm {@code hmac-sha256} (also {@code hmac-sha384}, {@code hmac-sha512}, {@code hmac-sha1})
     * @param secret    the secret in base64
     * @throws InvalidInputException if the algorithm is unknown or the secret is not base64
     */
    public TsigKey(String name, String algorithm, String secret) {
        this.name = requireText("TSIG key name", name);
        this.algorithm = requireText("TSIG algorithm", algorithm).toLowerCase(Locale.ROOT);
        if (!this.algorithm.matches("hmac-(sha1|sha224|sha256|sha384|sha512)")) {
            throw new InvalidInputException("TSIG algorithm", algorithm, "is not one of hmac-sha256, hmac-sha384,"
                    + " hmac-sha512, hmac-sha224, hmac-sha1");
        }
        try {
            Base64.getDecoder().decode(requireText("TSIG secret", secret));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("TSIG secret", null, "is not base64");
        }
        this.secret = secret;
    }

    /**
     * Reads a key in BIND's key-file format, as {@code tsig-keygen} writes it:
     * {@code key "name" { algorithm hmac-sha256; secret "base64"; };}. Comments ({@code #},
     * {@code //} and {@code /* ... *}{@code /}) are allowed outside quoted strings; a base64 secret may
     * contain {@code //}. The first key in the file is taken.
     *
     * @param file the key file
     * @return the key
     * @throws InvalidInputException if the file cannot be read or holds no key
     */
    public static TsigKey readBindKeyFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException("TSIG key file", file.toString(), "cannot be read: " + e.getMessage());
        }
        List<String> tokens;
        try {
            tokens = BindConfigTokens.of(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("TSIG key file", file.toString(), e.getMessage());
        }
        return fromKeyStatement(tokens, file);
    }

    /** Finds {@code key NAME { ... };} and reads its {@code algorithm} and {@code secret} statements. */
    private static TsigKey fromKeyStatement(List<String> tokens, Path file) {
        int start = tokens.indexOf("key");
        if (start < 0 || start + 2 >= tokens.size() || !tokens.get(start + 2).equals("{")) {
            throw new InvalidInputException("TSIG key file", file.toString(), "holds no 'key \"name\" { ... };' block");
        }
        String name = BindConfigTokens.unquote(tokens.get(start + 1));
        String algorithm = null;
        String secret = null;
        int i = start + 3;
        while (i < tokens.size() && !tokens.get(i).equals("}")) {
            int end = tokens.subList(i, tokens.size()).indexOf(";");
            if (end < 1) {
                break;
            }
            List<String> statement = tokens.subList(i, i + end);
            if (statement.size() == 2 && statement.get(0).equals("algorithm")) {
                algorithm = BindConfigTokens.unquote(statement.get(1));
            } else if (statement.size() == 2 && statement.get(0).equals("secret")) {
                secret = BindConfigTokens.unquote(statement.get(1));
            }
            i += end + 1;
        }
        if (algorithm == null || secret == null) {
            throw new InvalidInputException("TSIG key file", file.toString(), "needs an algorithm and a secret");
        }
        return new TsigKey(name, algorithm, secret);
    }

    /** @return the key's name */
    public String name() {
        return name;
    }

    /** @return the HMAC algorithm, such as {@code hmac-sha256} */
    public String algorithm() {
        return algorithm;
    }

    /** @return the secret in base64; a secret: never log it */
    public String secret() {
        return secret;
    }

    private static String requireText(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new InvalidInputException(field, value, "must not be blank");
        }
        return value.strip();
    }

    /** Names the key and its algorithm, never the secret. */
    @Override
    public String toString() {
        return "TsigKey[" + name + ", " + algorithm + "]";
    }
}
