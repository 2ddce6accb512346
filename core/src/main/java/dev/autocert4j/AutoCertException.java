package dev.autocert4j;

/**
 * The base of every exception autocert4j throws on purpose. Its message says what happened, the
 * value that caused it and, where it can, what to do.
 */
public class AutoCertException extends RuntimeException {

    /**
     * Creates an exception with a message.
     *
     * @param message what happened
     */
    public AutoCertException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what happened
     * @param cause   the underlying failure
     */
    public AutoCertException(String message, Throwable cause) {
        super(message, cause);
    }
}
