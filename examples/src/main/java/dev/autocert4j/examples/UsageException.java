package dev.autocert4j.examples;

/** A command line that cannot be run; the message says what is wrong. Exit code 2. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
