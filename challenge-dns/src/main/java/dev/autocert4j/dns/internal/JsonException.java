package dev.autocert4j.dns.internal;

/**
 * Text that is not the JSON expected: malformed, too long, too deep, or of another shape.
 */
public final class JsonException extends RuntimeException {

    /**
     * Creates an exception.
     *
     * @param problem what is wrong, such as {@code "misses a ':' at character 12"}
     */
    public JsonException(String problem) {
        super("The JSON " + problem);
    }
}
