package dev.autocert4j;

/**
 * Bad input from the host or the admin, found before any network call: the message names the
 * field and the value.
 */
public class InvalidInputException extends AutoCertException {

    /** The name of the rejected field. */
    private final String field;
    /** The rejected value, or null. */
    private final String value;
    /** What is wrong with the value. */
    private final String problem;

    /**
     * Creates an exception for one field.
     *
     * @param field   the name of the field, such as {@code "email"}
     * @param value   the value that was given (never a secret)
     * @param problem what is wrong with it, such as {@code "is not an email address"}
     */
    public InvalidInputException(String field, String value, String problem) {
        super(field + (value == null ? "" : " '" + value + "'") + " " + problem);
        this.field = field;
        this.value = value;
        this.problem = problem;
    }

    /** @return the name of the field that was rejected */
    public String field() {
        return field;
    }

    /** @return the value that was rejected, or {@code null} if none was given */
    public String value() {
        return value;
    }

    /**
     * @return what is wrong with the value, such as {@code "is not an email address"}
     * @since 0.2.0
     */
    public String problem() {
        return problem;
    }
}
