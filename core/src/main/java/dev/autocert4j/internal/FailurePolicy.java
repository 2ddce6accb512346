package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.ChallengeFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What follows a failed attempt: when to try again (a growing back-off, or the CA's
 * {@code Retry-After} where it is later), and the pause guard, which stops automatic renewal of
 * a name whose validation keeps failing before the CA stops it itself. A pure function of the
 * failure, the failures so far and now.
 */
final class FailurePolicy {

    /** Pauses after the 1st, 2nd, 3rd and later consecutive failures. */
    static final List<Duration> BACKOFF = List.of(Duration.ofMinutes(1), Duration.ofMinutes(10),
            Duration.ofMinutes(100), Duration.ofHours(24));
    /** How long automatic renewal of a name stops after its validation failed too often in a row. */
    static final Duration PAUSE = Duration.ofDays(1);

    private final int pauseAfterFailedValidations;

    /**
     * What the policy decided after a failure.
     *
     * @param failures          failed attempts in a row, this one included
     * @param failedValidations failed validations in a row, this one included if it is one
     * @param nextAttempt       when to try again
     * @param pausedUntil       until when automatic renewal is paused, or {@code null} if this failure starts no pause
     * @param message           the failure's message, with the pause explained where there is one
     */
    record Verdict(int failures, int failedValidations, Instant nextAttempt, Instant pausedUntil, String message) {
    }

    /** @param pauseAfterFailedValidations failed validations in a row after which a name is paused */
    FailurePolicy(int pauseAfterFailedValidations) {
        this.pauseAfterFailedValidations = pauseAfterFailedValidations;
    }

    /**
     * An order held back to stay under the CA's limits is no failure of the name: it starts later,
     * without back-off.
     *
     * @return when to start the held-back order, or empty if {@code failure} is a real failure
     */
    static Optional<Instant> heldBackUntil(AutoCertException failure, Instant now) {
        if (failure instanceof HeldBackException held) {
            return Optional.of(held.retryAfter().orElse(now));
        }
        return Optional.empty();
    }

    /**
     * Judges a failure that is not {@linkplain #heldBackUntil held back}.
     *
     * @param domain                  the enrollment's name, for the message
     * @param failuresBefore          failed attempts in a row before this one
     * @param failedValidationsBefore failed validations in a row before this one
     * @param failure                 what went wrong
     * @param now                     the time of the failure
     * @return what follows
     */
    Verdict judge(String domain, int failuresBefore, int failedValidationsBefore, AutoCertException failure, Instant now) {
        int failures = failuresBefore + 1;
        int failedValidations = failure instanceof ChallengeFailedException ? failedValidationsBefore + 1
                : failedValidationsBefore;
        Instant next = now.plus(BACKOFF.get(Math.min(failures, BACKOFF.size()) - 1));
        if (failure instanceof CertificateAuthorityException ca && ca.retryAfter().isPresent()
                && ca.retryAfter().get().isAfter(next)) {
            next = ca.retryAfter().get();
        }
        if (failedValidations < pauseAfterFailedValidations) {
            return new Verdict(failures, failedValidations, next, null, failure.getMessage());
        }
        Instant pauseEnd = now.plus(PAUSE);
        Instant pausedUntil = next.isAfter(pauseEnd) ? next : pauseEnd;
        String message = failure.getMessage() + " Automatic renewal of " + domain + " is paused until " + pausedUntil
                + " after " + failedValidations + " failed validations in a row, so that the CA does not pause the name"
                + " itself: fix what this message says, then renew now.";
        return new Verdict(failures, failedValidations, pausedUntil, pausedUntil, message);
    }
}
