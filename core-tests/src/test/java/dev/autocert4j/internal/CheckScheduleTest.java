package dev.autocert4j.internal;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CheckResult;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.RenewalLock;
import dev.autocert4j.RenewalWindow;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class CheckScheduleTest {

    private static final Instant ISSUED = Instant.parse("2026-11-25T00:00:00Z");

    private final MutableClock clock = new MutableClock(ISSUED);
    private final CheckSchedule schedule = new CheckSchedule(RenewalPolicy.standard(), new SplittableRandom(42));
    private final EnrollmentRequest request = Enrollments.request("http://example.com:80");
    /** 90 days: due 21 days before expiry, checked every 24 hours. */
    private final CertificateMetadata certificate = certificate(List.of("example.com"), ISSUED, Duration.ofDays(90));

    private static CertificateMetadata certificate(List<String> names, Instant notBefore, Duration lifetime) {
        return CertificateMetadata.builder().domain(names.get(0)).names(names).issuedAt(notBefore).notBefore(notBefore)
                .notAfter(notBefore.plus(lifetime)).serialNumber("0a").issuer("CN=Test CA").build();
    }

    private Instant renewalTime() {
        return certificate.notAfter().minus(Duration.ofDays(21));
    }

    @Test
    void aFreshCertificateIsCheckedAgainInADayPlusAtMostFiveMinutesOfJitter() {
        for (int i = 0; i < 50; i++) {
            Instant next = schedule.afterInstall(certificate, request, null, clock.instant());

            assertThat(next).isBetween(clock.instant().plus(Duration.ofDays(1)),
                    clock.instant().plus(Duration.ofDays(1)).plus(CheckSchedule.MAX_JITTER));
        }
    }

    @Test
    void aSixDayCertificateIsLookedAtEverySixHoursAndANinetyDayOneStillDaily() {
        CertificateMetadata sixDays = certificate(List.of("example.com"), ISSUED, Duration.ofDays(6));

        Instant next = schedule.nextCheck(sixDays, schedule.dueAt(sixDays, null), null, ISSUED);

        assertThat(next).as("several looks a day, whatever the policy's daily interval")
                .isBetween(ISSUED.plus(Duration.ofHours(6)), ISSUED.plus(Duration.ofHours(6)).plus(CheckSchedule.MAX_JITTER));
        assertThat(schedule.nextCheck(certificate, renewalTime(), null, ISSUED))
                .isBetween(ISSUED.plus(Duration.ofDays(1)), ISSUED.plus(Duration.ofDays(1)).plus(CheckSchedule.MAX_JITTER));
    }

    @Test
    void aCaWindowTooCloseToExpiryIsOverruledWithATenthOfTheLifetimeLeft() {
        Instant lateTarget = certificate.notAfter().minus(Duration.ofDays(1));

        assertThat(schedule.dueAt(certificate, lateTarget)).isEqualTo(certificate.notAfter().minus(Duration.ofDays(9)));
        assertThat(schedule.dueAt(certificate, renewalTime())).as("an earlier window stays").isEqualTo(renewalTime());
        clock.set(certificate.notAfter().minus(Duration.ofDays(8)));
        assertThat(schedule.condition(certificate, request, lateTarget, clock.instant()))
                .as("--once calls it due too").isEqualTo(dev.autocert4j.CheckResult.Condition.DUE);
    }

    @Test
    void theSameSeedGivesTheSameSchedule() {
        CheckSchedule again = new CheckSchedule(RenewalPolicy.standard(), new SplittableRandom(42));

        assertThat(again.nextCheck(certificate, renewalTime(), null, ISSUED))
                .isEqualTo(schedule.nextCheck(certificate, renewalTime(), null, ISSUED));
    }

    @Test
    void theDueInstantComesBeforeTheRegularCheckWhenItIsSooner() {
        clock.set(renewalTime().minus(Duration.ofHours(3)));

        assertThat(schedule.afterInstall(certificate, request, null, clock.instant())).isEqualTo(renewalTime());
    }

    @Test
    void aDueCertificateIsCheckedNowAndSoIsOneMissingANameTheEnrollmentAsksFor() {
        clock.set(renewalTime());
        assertThat(schedule.afterInstall(certificate, request, null, clock.instant())).isEqualTo(clock.instant());

        clock.set(ISSUED.plus(Duration.ofDays(1)));
        EnrollmentRequest moreNames = request.toBuilder().extraNames("www.example.com").build();
        assertThat(schedule.afterInstall(certificate, moreNames, null, clock.instant())).isEqualTo(clock.instant());
    }

    @Test
    void theNextQuestionToTheCaComesFirstWhenItIsSooner() {
        Instant askAgain = clock.instant().plus(Duration.ofHours(6));

        assertThat(schedule.afterInstall(certificate, request, askAgain, clock.instant())).isEqualTo(askAgain);
    }

    @Test
    void theCaIsAskedAgainAtItsRetryAfterWithinAMinuteAndADay() {
        Instant now = clock.instant();

        assertThat(CheckSchedule.askCaAgainAt(null, now)).isEqualTo(now.plus(Duration.ofHours(6)));
        assertThat(CheckSchedule.askCaAgainAt(now.plus(Duration.ofHours(2)), now)).isEqualTo(now.plus(Duration.ofHours(2)));
        assertThat(CheckSchedule.askCaAgainAt(now.plusSeconds(1), now)).isEqualTo(now.plus(Duration.ofMinutes(1)));
        assertThat(CheckSchedule.askCaAgainAt(now.minusSeconds(60), now)).isEqualTo(now.plus(Duration.ofMinutes(1)));
        assertThat(CheckSchedule.askCaAgainAt(now.plus(Duration.ofHours(20)), now)).isEqualTo(now.plus(Duration.ofHours(20)));
        assertThat(CheckSchedule.askCaAgainAt(now.plus(Duration.ofDays(30)), now)).isEqualTo(now.plus(Duration.ofDays(1)));
    }

    @Test
    void theInstantChosenInsideTheCasWindowIsInsideIt() {
        RenewalWindow window = new RenewalWindow(ISSUED.plus(Duration.ofDays(60)), ISSUED.plus(Duration.ofDays(62)), null);

        for (int i = 0; i < 50; i++) {
            assertThat(schedule.targetInside(window)).isBetween(window.start(), window.end());
        }
        RenewalWindow oneMillisecond = new RenewalWindow(window.start(), window.start().plusMillis(1), null);
        assertThat(schedule.targetInside(oneMillisecond)).isEqualTo(window.start());
    }

    @Test
    void aCertificateIsServedFromAnHourBeforeItStartsUntilItExpires() {
        Instant starts = ISSUED.plus(Duration.ofMinutes(30));
        CertificateMetadata early = certificate(List.of("example.com"), starts, Duration.ofDays(90));

        assertThat(CheckSchedule.isServable(early, clock.instant())).as("within the clock skew").isTrue();
        assertThat(CheckSchedule.isServable(early, starts.minus(Duration.ofHours(1)).minusSeconds(1))).isFalse();
        clock.set(early.notAfter().minusSeconds(1));
        assertThat(CheckSchedule.isServable(early, clock.instant())).isTrue();
        clock.set(early.notAfter());
        assertThat(CheckSchedule.isServable(early, clock.instant())).isFalse();
    }

    @Test
    void theConditionFollowsTheClockFromValidToDueToExpired() {
        assertThat(schedule.condition(certificate, request, null, clock.instant())).isEqualTo(CheckResult.Condition.VALID);
        clock.set(renewalTime());
        assertThat(schedule.condition(certificate, request, null, clock.instant())).isEqualTo(CheckResult.Condition.DUE);
        clock.set(certificate.notAfter());
        assertThat(schedule.condition(certificate, request, null, clock.instant())).isEqualTo(CheckResult.Condition.EXPIRED);
    }

    @Test
    void aCertificateThatStartsLaterThanTheClockSkewIsMissingAndOneShortOfANameIsDue() {
        CertificateMetadata future = certificate(List.of("example.com"), ISSUED.plus(Duration.ofHours(2)), Duration.ofDays(90));
        assertThat(schedule.condition(future, request, null, clock.instant())).isEqualTo(CheckResult.Condition.MISSING);

        EnrollmentRequest moreNames = request.toBuilder().extraNames("www.example.com").build();
        assertThat(schedule.condition(certificate, moreNames, null, clock.instant())).isEqualTo(CheckResult.Condition.DUE);
    }

    @Test
    void theCasTargetDecidesWhenItGaveOne() {
        Instant caTarget = ISSUED.plus(Duration.ofDays(10));

        clock.set(caTarget.minusSeconds(1));
        assertThat(schedule.condition(certificate, request, caTarget, clock.instant())).isEqualTo(CheckResult.Condition.VALID);
        clock.set(caTarget);
        assertThat(schedule.condition(certificate, request, caTarget, clock.instant())).isEqualTo(CheckResult.Condition.DUE);
    }

    @Test
    void aRenewalHeldElsewhereIsLookedAtWhenItsLeaseRunsOutOrInAMinute() {
        Instant now = clock.instant();
        RenewalLock.Holder shortLease = new RenewalLock.Holder("node-b", now, now.plusSeconds(20));
        RenewalLock.Holder longLease = new RenewalLock.Holder("node-b", now, now.plus(Duration.ofMinutes(10)));

        assertThat(CheckSchedule.whileHeldElsewhere(Optional.of(shortLease), now)).isEqualTo(now.plusSeconds(21));
        assertThat(CheckSchedule.whileHeldElsewhere(Optional.of(longLease), now)).isEqualTo(now.plus(Duration.ofMinutes(1)));
        assertThat(CheckSchedule.whileHeldElsewhere(Optional.empty(), now)).isEqualTo(now.plus(Duration.ofMinutes(1)));
    }

    @Test
    void aFailingRenewalIsExpiringSoonFromTheMiddleOfTheRenewalWindow() {
        Instant halfway = renewalTime().plus(Duration.ofDays(21).dividedBy(2));

        clock.set(halfway.minusSeconds(1));
        assertThat(schedule.isExpiringSoon(certificate, clock.instant())).isFalse();
        clock.set(halfway);
        assertThat(schedule.isExpiringSoon(certificate, clock.instant())).isTrue();
    }
}
