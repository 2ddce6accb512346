package dev.autocert4j.spring.boot;

import dev.autocert4j.InvalidInputException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start that failed on a wrong {@code autocert4j.*} property in two lines, instead of a
 * stack trace: what is wrong, and what to set.
 */
final class InvalidSettingsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidInputException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidInputException cause) {
        String field = cause.field();
        if (!field.startsWith("autocert4j.") && !field.startsWith("server.")) {
            return null;
        }
        return new FailureAnalysis("The autocert4j configuration is wrong: " + cause.getMessage() + ".",
                "Set " + field + " (see the autocert4j Spring Boot section of the README), or set"
                        + " autocert4j.enabled=false.", cause);
    }
}
