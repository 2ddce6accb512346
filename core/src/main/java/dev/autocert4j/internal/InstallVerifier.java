package dev.autocert4j.internal;

import dev.autocert4j.Binding;

/** Checks that an HTTPS binding serves the certificate just installed on it. */
public interface InstallVerifier {

    /** What the check found. */
    enum Verdict {
        /** The binding serves the expected certificate. */
        SERVED,
        /** The binding answers with another certificate: the install did not take. */
        OTHER_CERTIFICATE,
        /** The binding could not be checked from here (not reachable locally, or the handshake failed). */
        NOT_CHECKED
    }

    /**
     * @param verdict what was found
     * @param detail  what was served, or why it could not be checked, for messages
     */
    record Outcome(Verdict verdict, String detail) {
    }

    /**
     * Checks which certificate a binding serves.
     *
     * @param httpsBinding   the binding the certificate was installed on
     * @param serverName     the name to ask for (SNI)
     * @param expectedSerial the serial number of the installed certificate, lower-case hex
     * @return what was found; never throws
     */
    Outcome verify(Binding httpsBinding, String serverName, String expectedSerial);

    /** @return a verifier that never checks, for hosts that turned the check off */
    static InstallVerifier none() {
        return (binding, name, serial) -> new Outcome(Verdict.NOT_CHECKED, "the check is off");
    }
}
