package dev.autocert4j.internal;

import dev.autocert4j.InstallResult;
import dev.autocert4j.RenewalWindow;
import dev.autocert4j.testing.Enrollments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManagedEnrollmentTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final ManagedEnrollment entry = new ManagedEnrollment(Enrollments.request("http://example.com:80"), NOW);

    @BeforeEach
    void lock() {
        entry.lock();
    }

    private void failValidation(int failures, int failedValidations, Instant pausedUntil) {
        entry.failed(new FailurePolicy.Verdict(failures, failedValidations, NOW.plusSeconds(60), pausedUntil, "failed"), NOW);
    }

    @Test
    void everyTransitionRefusesAThreadThatDoesNotHoldTheLock() {
        entry.unlock();
        for (Consumer<ManagedEnrollment> transition : java.util.List.<Consumer<ManagedEnrollment>>of(
                e -> e.requested(Enrollments.request("http://example.com:80")), ManagedEnrollment::storedInStore,
                e -> e.scheduled(NOW), e -> e.installed(InstallResult.LIVE, "01"), e -> e.storedCertificateLost("01", NOW),
                e -> e.attempted(NOW), ManagedEnrollment::issued, ManagedEnrollment::renewed, ManagedEnrollment::recovered,
                e -> e.failed(new FailurePolicy.Verdict(1, 0, NOW, null, "x"), NOW), e -> e.heldBack(NOW, "x"),
                ManagedEnrollment::pauseEnded, ManagedEnrollment::renewalAskedFor,
                e -> e.renewalWindowSuggested(new RenewalWindow(NOW, NOW.plusSeconds(1), null), NOW),
                e -> e.askCaAgainAt(NOW), ManagedEnrollment::forgetRenewalInformation)) {
            assertThatThrownBy(() -> transition.accept(entry)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("example.com").hasMessageContaining("lock");
        }
    }

    @Test
    void aTransitionFromAnotherThreadIsRefusedWhileThisOneHoldsTheLock() throws Exception {
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> entry.scheduled(NOW.plusSeconds(1)));

        assertThatThrownBy(() -> other.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(entry.nextCheck()).isEqualTo(NOW);
    }

    @Test
    void aFailureAppliesTheVerdictAndRecordsTheAttempt() {
        Instant pause = NOW.plus(Duration.ofDays(1));

        failValidation(5, 5, pause);

        assertThat(entry.failures()).isEqualTo(5);
        assertThat(entry.failedValidations()).isEqualTo(5);
        assertThat(entry.pausedUntil()).isEqualTo(pause);
        assertThat(entry.isPausedAt(NOW)).isTrue();
        assertThat(entry.isPausedAt(pause)).isFalse();
        assertThat(entry.nextCheck()).isEqualTo(NOW.plusSeconds(60));
        assertThat(entry.lastAttempt()).isEqualTo(NOW);
        assertThat(entry.lastError()).isEqualTo("failed");
    }

    @Test
    void aFailureThatStartsNoPauseKeepsOneInPlace() {
        Instant pause = NOW.plus(Duration.ofDays(1));
        failValidation(5, 5, pause);

        failValidation(6, 5, null);

        assertThat(entry.pausedUntil()).isEqualTo(pause);
    }

    @Test
    void aRenewalEndsFailuresValidationsPauseAndError() {
        failValidation(5, 5, NOW.plus(Duration.ofDays(1)));

        entry.renewed();

        assertThat(entry.failures()).isZero();
        assertThat(entry.failedValidations()).isZero();
        assertThat(entry.pausedUntil()).isNull();
        assertThat(entry.lastError()).isNull();
    }

    @Test
    void aStoredCertificateServedAgainEndsTheFailuresButNotThePause() {
        Instant pause = NOW.plus(Duration.ofDays(1));
        failValidation(5, 5, pause);

        entry.recovered();

        assertThat(entry.failures()).isZero();
        assertThat(entry.lastError()).isNull();
        assertThat(entry.failedValidations()).isEqualTo(5);
        assertThat(entry.pausedUntil()).isEqualTo(pause);
    }

    @Test
    void renewNowEndsThePauseAndCountsValidationsAfresh() {
        failValidation(5, 5, NOW.plus(Duration.ofDays(1)));

        entry.renewalAskedFor();

        assertThat(entry.pausedUntil()).isNull();
        assertThat(entry.failedValidations()).isZero();
        assertThat(entry.failures()).as("the failures in a row stay until something works").isEqualTo(5);
    }

    @Test
    void anOrderHeldBackIsNoFailure() {
        entry.heldBack(NOW.plusSeconds(30), "paced under the CA's limit");

        assertThat(entry.failures()).isZero();
        assertThat(entry.lastAttempt()).isNull();
        assertThat(entry.nextCheck()).isEqualTo(NOW.plusSeconds(30));
        assertThat(entry.lastError()).isEqualTo("paced under the CA's limit");
    }

    @Test
    void aNewCertificateCountsAndForgetsTheCasWindowForThePreviousOne() {
        entry.renewalWindowSuggested(new RenewalWindow(NOW, NOW.plusSeconds(3600), null), NOW.plusSeconds(60));
        entry.askCaAgainAt(NOW.plusSeconds(600));

        entry.issued();

        assertThat(entry.certificatesObtained()).isEqualTo(1);
        assertThat(entry.window()).isNull();
        assertThat(entry.windowTarget()).isNull();
        assertThat(entry.askCaAgainAt()).isNull();
    }

    @Test
    void losingTheInstalledCertificateMakesItDueNowButLosingAnotherChangesNothing() {
        entry.installed(InstallResult.LIVE, "0a");
        entry.scheduled(NOW.plus(Duration.ofDays(1)));

        entry.storedCertificateLost("0b", NOW);
        assertThat(entry.installedSerial()).isEqualTo("0a");
        assertThat(entry.nextCheck()).isEqualTo(NOW.plus(Duration.ofDays(1)));

        entry.storedCertificateLost("0a", NOW);
        assertThat(entry.installedSerial()).isNull();
        assertThat(entry.nextCheck()).isEqualTo(NOW);
        assertThat(entry.installResult()).isEqualTo(InstallResult.LIVE);
    }
}
