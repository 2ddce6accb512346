package dev.autocert4j.internal;

import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.RenewalWindow;

import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One enrollment under management and what the keeper knows about it: when to look at it next,
 * how the last attempts went, the CA's renewal window, and which certificate the host serves.
 * Anyone may read it (the status does, without waiting); it changes only through the named
 * transitions below, each made while its lock is held by the thread making it.
 */
final class ManagedEnrollment {

    /** Held while anything is done for this enrollment, so the same name is never worked on twice at once. */
    private final ReentrantLock work = new ReentrantLock();

    private volatile EnrollmentRequest request;
    /**
     * Whether the enrollment is kept in the store (saved here, or resumed from there): such an
     * enrollment is let go when it disappears from the store, as when another server of a cluster
     * stops managing it.
     */
    private volatile boolean keptInStore;
    /** When the keeper looks at this enrollment next: a regular check, the due instant or an ARI re-check. */
    private volatile Instant nextCheck;
    /** Attempts that failed in a row, of any kind. */
    private volatile int failures;
    /** Attempts in a row that failed because the CA could not validate the names. */
    private volatile int failedValidations;
    private volatile Instant pausedUntil;
    /** The CA's suggested window for the current certificate, and the random instant chosen inside it. */
    private volatile RenewalWindow window;
    private volatile Instant windowTarget;
    /** When to ask the CA for its renewal information again. */
    private volatile Instant askCaAgainAt;
    /** The serial number of the certificate the binding provider last installed successfully. */
    private volatile String installedSerial;
    private volatile Instant lastAttempt;
    private volatile String lastError;
    private volatile InstallResult installResult;
    /** Why CAs were passed over in the last attempt, one note each; {@code null}: none was. */
    private volatile String skippedAuthorities;
    /** What the admin should know about the certificate obtained last; {@code null}: nothing. */
    private volatile String certificateWarning;
    /** How many certificates this keeper obtained and stored for the enrollment: tells a renewal here from one elsewhere. */
    private volatile int certificatesObtained;

    ManagedEnrollment(EnrollmentRequest request, Instant nextCheck) {
        this.request = request;
        this.nextCheck = nextCheck;
    }

    void lock() {
        work.lock();
    }

    /** @return whether the lock was free and is now held */
    boolean tryLock() {
        return work.tryLock();
    }

    void unlock() {
        work.unlock();
    }

    String name() {
        return request.domain();
    }

    EnrollmentRequest request() {
        return request;
    }

    boolean keptInStore() {
        return keptInStore;
    }

    Instant nextCheck() {
        return nextCheck;
    }

    int failures() {
        return failures;
    }

    int failedValidations() {
        return failedValidations;
    }

    Instant pausedUntil() {
        return pausedUntil;
    }

    /** @return whether automatic renewal is paused at {@code now} after failed validations */
    boolean isPausedAt(Instant now) {
        Instant until = pausedUntil;
        return until != null && now.isBefore(until);
    }

    RenewalWindow window() {
        return window;
    }

    Instant windowTarget() {
        return windowTarget;
    }

    Instant askCaAgainAt() {
        return askCaAgainAt;
    }

    String installedSerial() {
        return installedSerial;
    }

    Instant lastAttempt() {
        return lastAttempt;
    }

    String lastError() {
        return lastError;
    }

    InstallResult installResult() {
        return installResult;
    }

    String skippedAuthorities() {
        return skippedAuthorities;
    }

    String certificateWarning() {
        return certificateWarning;
    }

    int certificatesObtained() {
        return certificatesObtained;
    }

    /** The host enrolled the name again, or changed what its enrollment asks for. */
    void requested(EnrollmentRequest changed) {
        requireLocked();
        request = changed;
    }

    /** The enrollment was saved in the store, or resumed from there. */
    void storedInStore() {
        requireLocked();
        keptInStore = true;
    }

    /** The keeper looks at the enrollment next at {@code at}. */
    void scheduled(Instant at) {
        requireLocked();
        nextCheck = at;
    }

    /**
     * A certificate was handed to the binding provider.
     *
     * @param result        what the provider said
     * @param servedSerial  the serial the binding serves now, or {@code null} if none is known to be served
     */
    void installed(InstallResult result, String servedSerial) {
        requireLocked();
        installResult = result;
        installedSerial = servedSerial;
    }

    /**
     * The store no longer holds the installed certificate {@code serial} when the binding provider
     * needs it: the next check installs what the store holds, or reports why not.
     */
    void storedCertificateLost(String serial, Instant now) {
        requireLocked();
        if (serial.equals(installedSerial)) {
            installedSerial = null;
            nextCheck = now;
        }
    }

    /** An order for a new certificate begins. */
    void attempted(Instant at) {
        requireLocked();
        lastAttempt = at;
        skippedAuthorities = null;
        certificateWarning = null;
    }

    /** The certificate obtained in the attempt under way comes with a warning for the admin. */
    void certificateWarned(String warning) {
        requireLocked();
        certificateWarning = warning;
    }

    /** In the attempt under way, a CA was passed over for the next; {@code note} says which and why. */
    void authoritySkipped(String note) {
        requireLocked();
        skippedAuthorities = skippedAuthorities == null ? note : skippedAuthorities + "; " + note;
    }

    /** A new certificate was obtained here and stored: the CA's window for the previous one no longer applies. */
    void issued() {
        requireLocked();
        certificatesObtained++;
        forgetRenewalInformation();
    }

    /**
     * A new certificate, obtained here or by another server, is installed: the failures, the failed
     * validations, any pause and the last error are over.
     */
    void renewed() {
        requireLocked();
        failures = 0;
        failedValidations = 0;
        pausedUntil = null;
        lastError = null;
    }

    /**
     * A stored certificate is served again: the failures in a row and the last error are over. A
     * pause after failed validations stays, since no validation succeeded.
     */
    void recovered() {
        requireLocked();
        failures = 0;
        lastError = null;
    }

    /** An attempt failed, and the failure policy judged what follows. */
    void failed(FailurePolicy.Verdict verdict, Instant at) {
        requireLocked();
        failures = verdict.failures();
        failedValidations = verdict.failedValidations();
        if (verdict.pausedUntil() != null) {
            pausedUntil = verdict.pausedUntil();
        }
        nextCheck = verdict.nextAttempt();
        lastAttempt = at;
        lastError = verdict.message();
    }

    /** An order was held back to stay under the CA's limits: not a failure of the name, so no back-off. */
    void heldBack(Instant retryAt, String reason) {
        requireLocked();
        nextCheck = retryAt;
        lastError = reason;
    }

    /** A pause after failed validations is over, by time or because a new certificate was asked for. */
    void pauseEnded() {
        requireLocked();
        pausedUntil = null;
    }

    /** Someone asked for a renewal now: a pause ends and validations are counted afresh. */
    void renewalAskedFor() {
        requireLocked();
        pausedUntil = null;
        failedValidations = 0;
    }

    /** The CA suggested a renewal window for the current certificate, and an instant inside it was chosen. */
    void renewalWindowSuggested(RenewalWindow suggested, Instant target) {
        requireLocked();
        window = suggested;
        windowTarget = target;
    }

    /** The CA's renewal information is asked for again at {@code at}, not before. */
    void askCaAgainAt(Instant at) {
        requireLocked();
        askCaAgainAt = at;
    }

    /** Forgets the CA's window: it offers none, or the certificate it was for was just replaced. */
    void forgetRenewalInformation() {
        requireLocked();
        window = null;
        windowTarget = null;
        askCaAgainAt = null;
    }

    private void requireLocked() {
        if (!work.isHeldByCurrentThread()) {
            throw new IllegalStateException("The enrollment of " + name() + " was to change without holding its lock");
        }
    }
}
