package dev.autocert4j.examples;

/** A command line that cannot be run; the message says what is wrong. Exit code 2. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String command;

    UsageException(String message) {
        this(message, null);
    }

    /**
     * @param message what is wrong, naming the option
     * @param command the command whose options were wrong, {@code null} for the demo's own
     */
    UsageException(String message, String command) {
        super(message);
        this.command = command;
    }

    /** @return the line that says where the options are listed */
    String whereTheOptionsAre() {
        return "Try 'java -jar autocert4j-demo.jar " + (command == null ? "" : command + " ") + "--help' for the options.";
    }
}
