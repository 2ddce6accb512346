package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.ChallengeFailedException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class FailurePolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final FailurePolicy policy = new FailurePolicy(3);

    private static ChallengeFailedException validationFailed() {
        return new ChallengeFailedException("Let's Encrypt", "invalid",
                URI.create("http://example.com/.well-known/acme-challenge/t"), null, "connection refused");
    }

    private static CertificateAuthorityException caFailure(Instant retryAfter) {
        return new CertificateAuthorityException("The CA is busy", null, retryAfter, null);
    }

    @Test
    void backsOffOneTenAndHundredMinutesThenADayForEveryFurtherFailure() {
        AutoCertException failure = new AutoCertException("network down");

        assertThat(policy.judge("example.com", 0, 0, failure, NOW).nextAttempt()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
        assertThat(policy.judge("example.com", 1, 0, failure, NOW).nextAttempt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        assertThat(policy.judge("example.com", 2, 0, failure, NOW).nextAttempt()).isEqualTo(NOW.plus(Duration.ofMinutes(100)));
        assertThat(policy.judge("example.com", 3, 0, failure, NOW).nextAttempt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(policy.judge("example.com", 40, 0, failure, NOW).nextAttempt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    }

    @Test
    void countsTheFailureAndKeepsItsMessage() {
        FailurePolicy.Verdict verdict = policy.judge("example.com", 4, 1, new AutoCertException("network down"), NOW);

        assertThat(verdict.failures()).isEqualTo(5);
        assertThat(verdict.failedValidations()).as("not a validation failure").isEqualTo(1);
        assertThat(verdict.pausedUntil()).isNull();
        assertThat(verdict.message()).isEqualTo("network down");
    }

    @Test
    void aRetryAfterLaterThanTheBackOffWins() {
        Instant retryAfter = NOW.plus(Duration.ofHours(3));

        assertThat(policy.judge("example.com", 0, 0, caFailure(retryAfter), NOW).nextAttempt()).isEqualTo(retryAfter);
    }

    @Test
    void aRetryAfterSoonerThanTheBackOffDoesNotShortenIt() {
        Instant retryAfter = NOW.plusSeconds(5);

        assertThat(policy.judge("example.com", 2, 0, caFailure(retryAfter), NOW).nextAttempt())
                .isEqualTo(NOW.plus(Duration.ofMinutes(100)));
    }

    @Test
    void validationFailuresBelowTheLimitBackOffWithoutAPause() {
        FailurePolicy.Verdict verdict = policy.judge("example.com", 1, 1, validationFailed(), NOW);

        assertThat(verdict.failedValidations()).isEqualTo(2);
        assertThat(verdict.pausedUntil()).isNull();
        assertThat(verdict.nextAttempt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    }

    @Test
    void theLimitOfFailedValidationsInARowPausesTheNameForADayAndSaysWhy() {
        FailurePolicy.Verdict verdict = policy.judge("example.com", 2, 2, validationFailed(), NOW);

        Instant aDayLater = NOW.plus(FailurePolicy.PAUSE);
        assertThat(verdict.failedValidations()).isEqualTo(3);
        assertThat(verdict.pausedUntil()).isEqualTo(aDayLater);
        assertThat(verdict.nextAttempt()).isEqualTo(aDayLater);
        assertThat(verdict.message()).contains("connection refused")
                .contains("Automatic renewal of example.com is paused until " + aDayLater)
                .contains("after 3 failed validations in a row");
    }

    @Test
    void otherFailuresDoNotCountTowardsThePause() {
        FailurePolicy.Verdict verdict = policy.judge("example.com", 7, 2, caFailure(null), NOW);

        assertThat(verdict.failedValidations()).isEqualTo(2);
        assertThat(verdict.pausedUntil()).isNull();
    }

    @Test
    void aRetryAfterBeyondThePauseExtendsIt() {
        FailurePolicy wary = new FailurePolicy(1);
        Instant retryAfter = NOW.plus(Duration.ofDays(3));
        ChallengeFailedException failure = new ChallengeFailedException("Let's Encrypt", dev.autocert4j.ChallengeType.HTTP_01,
                "invalid", URI.create("http://example.com/"), null, "rate limited") {
            @Override
            public java.util.Optional<Instant> retryAfter() {
                return java.util.Optional.of(retryAfter);
            }
        };

        FailurePolicy.Verdict verdict = wary.judge("example.com", 0, 0, failure, NOW);

        assertThat(verdict.pausedUntil()).isEqualTo(retryAfter);
        assertThat(verdict.nextAttempt()).isEqualTo(retryAfter);
    }

    @Test
    void anOrderHeldBackUnderTheCasLimitStartsLaterAndIsNoFailure() {
        Instant later = NOW.plus(Duration.ofMinutes(7));

        assertThat(FailurePolicy.heldBackUntil(new HeldBackException("paced", later), NOW)).contains(later);
        assertThat(FailurePolicy.heldBackUntil(new HeldBackException("paced", null), NOW)).contains(NOW);
        assertThat(FailurePolicy.heldBackUntil(caFailure(later), NOW)).isEmpty();
    }
}
