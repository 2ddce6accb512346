package dev.autocert4j.internal;

import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.RenewalWindow;

import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One enrollment under management and what the keeper knows about it: when to look at it next,
 * how the last attempts went, the CA's renewal window, and which certificate the host serves.
 * Fields are read without the lock (for the status); they are written while {@link #work} is held.
 */
final class ManagedEnrollment {

    /** Held while anything is done for this enrollment, so the same name is never worked on twice at once. */
    final ReentrantLock work = new ReentrantLock();

    volatile EnrollmentRequest request;
    /**
     * Whether the enrollment is kept in the store (saved here, or resumed from there): such an
     * enrollment is let go when it disappears from the store, as when another server of a cluster
     * stops managing it.
     */
    volatile boolean keptInStore;
    /** When the keeper looks at this enrollment next: a regular check, the due instant or an ARI re-check. */
    volatile Instant nextCheck;
    /** Attempts that failed in a row, of any kind. */
    volatile int failures;
    /** Attempts in a row that failed because the CA could not validate the names. */
    volatile int failedValidations;
    volatile Instant pausedUntil;
    /** The CA's suggested window for the current certificate, and the random instant chosen inside it. */
    volatile RenewalWindow window;
    volatile Instant windowTarget;
    /** When to ask the CA for its renewal information again. */
    volatile Instant askCaAgainAt;
    /** The serial number of the certificate the binding provider last installed successfully. */
    volatile String installedSerial;
    volatile Instant lastAttempt;
    volatile String lastError;
    volatile InstallResult installResult;
    /** How many certificates this keeper obtained and stored for the enrollment: tells a renewal here from one elsewhere. */
    volatile int certificatesObtained;

    ManagedEnrollment(EnrollmentRequest request, Instant nextCheck) {
        this.request = request;
        this.nextCheck = nextCheck;
    }

    String name() {
        return request.domain();
    }

    /** Forgets the CA's window for a certificate that was just replaced. */
    void forgetRenewalInformation() {
        window = null;
        windowTarget = null;
        askCaAgainAt = null;
    }
}
