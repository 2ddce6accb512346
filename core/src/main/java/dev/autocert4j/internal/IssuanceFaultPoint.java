package dev.autocert4j.internal;

/**
 * A test-only fault point between the CA issuing a certificate and the store saving it: with the
 * system property {@value #HALT_AFTER_ISSUANCE} set to {@code true} on the JVM's command line, the
 * process halts there at once, as {@code kill -9} would stop it (no shutdown hook, nothing saved), so
 * that a test can show the issued certificate is still taken up after a restart. Inert by default;
 * it is read from the JVM's system properties only, never from a configuration file, and nothing in
 * the library sets it.
 */
final class IssuanceFaultPoint {

    /** The system property that arms the fault point; for tests only. */
    static final String HALT_AFTER_ISSUANCE = "autocert4j.test.haltAfterIssuance";
    /** The exit status of a halted process, as after {@code kill -9}. */
    private static final int KILLED = 137;

    private IssuanceFaultPoint() {
    }

    /** Halts the JVM where a test armed the fault point; does nothing otherwise. */
    static void afterIssuance() {
        if (Boolean.parseBoolean(System.getProperty(HALT_AFTER_ISSUANCE))) {
            System.err.println("autocert4j: halting after issuance, as " + HALT_AFTER_ISSUANCE + " asks (a test's fault point)");
            System.err.flush();
            Runtime.getRuntime().halt(KILLED);
        }
    }
}
