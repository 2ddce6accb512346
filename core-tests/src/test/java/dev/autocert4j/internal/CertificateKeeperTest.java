package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.AutoCertListener;
import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.ChallengeFailedException;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InstallResult;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.RateLimitedException;
import dev.autocert4j.RenewalWindow;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Renewal decisions over weeks of simulated time: the clock is moved, nothing sleeps. */
class CertificateKeeperTest {

    private static final String DOMAIN = "portal.example.com";
    private static final String OTHER = "other.example.com";
    private static final Binding HTTPS = Binding.parse("https://portal.example.com:8443");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));
    private final InMemoryCertificateStore store = new InMemoryCertificateStore();
    private final RecordingBindingProvider host = new RecordingBindingProvider("http://portal.example.com:8080",
            "http://other.example.com:8080");
    private final FakeIssuer issuer = new FakeIssuer(clock);
    private final List<String> events = new ArrayList<>();
    private InstallVerifier verifier = InstallVerifier.none();
    private String brokenPolicyFor;
    private final RenewalPolicy policy = new RenewalPolicy() {
        private final RenewalPolicy standard = RenewalPolicy.standard();

        @Override
        public Instant renewalTime(CertificateMetadata certificate) {
            if (certificate.domain().equals(brokenPolicyFor)) {
                throw new IllegalStateException("policy plugin bug");
            }
            return standard.renewalTime(certificate);
        }

        @Override
        public Duration checkInterval(CertificateMetadata certificate) {
            return standard.checkInterval(certificate);
        }
    };
    private final CertificateKeeper keeper = keeper();

    private CertificateKeeper keeper() {
        AutoCertListener recorder = new AutoCertListener() {
            @Override
            public void obtained(IssuedCertificate certificate, boolean renewal) {
                events.add(renewal ? "renewed" : "obtained");
            }

            @Override
            public void failed(String domain, AutoCertException failure, Instant nextAttempt) {
                events.add("failed until " + nextAttempt);
            }

            @Override
            public void expiringSoon(String domain, Instant notAfter) {
                events.add("expiring " + notAfter);
            }
        };
        AutoCertListener throwing = new AutoCertListener() {
            @Override
            public void obtained(IssuedCertificate certificate, boolean renewal) {
                throw new IllegalStateException("a broken listener must not stop renewal");
            }
        };
        // the verifier is read through a lambda, so a test can swap it after the keeper exists
        InstallVerifier current = (binding, name, serial) -> verifier.verify(binding, name, serial);
        return new CertificateKeeper(issuer, store, host, new InMemoryChallengeSolver(),
                new CertificateKeeper.Settings(policy, clock, new SplittableRandom(42), List.of(throwing, recorder),
                        true, 5, KeyType.EC_P256, null, current));
    }

    private static EnrollmentRequest request() {
        return Enrollments.request("http://portal.example.com:8080");
    }

    private static ChallengeFailedException challengeFailed() {
        return new ChallengeFailedException("Let's Encrypt", "invalid",
                URI.create("http://portal.example.com/.well-known/acme-challenge/abc"), null, "connection refused");
    }

    /** Runs due checks, jumping the clock from one check to the next, until {@code end}. */
    private void runUntil(Instant end) {
        while (true) {
            keeper.checkDue();
            Instant next = keeper.earliestCheck().orElseThrow();
            if (next.isAfter(end)) {
                clock.set(end);
                return;
            }
            clock.set(next);
        }
    }

    private IssuedCertificate stored() {
        return store.loadCertificate(DOMAIN).orElseThrow();
    }

    @Test
    void aNinetyDayCertificateIsRenewedAtTheDueInstantTwentyOneDaysBeforeExpiry() {
        keeper.enroll(request());
        Instant notAfter = stored().metadata().notAfter();
        Instant due = notAfter.minus(Duration.ofDays(21));

        runUntil(due.minusSeconds(1));
        assertThat(issuer.calls()).as("no renewal before the due instant").isEqualTo(1);

        runUntil(due.plus(Duration.ofHours(1)));
        assertThat(issuer.calls()).isEqualTo(2);
        assertThat(stored().metadata().issuedAt()).as("renewal starts at the due instant, not at the next"
                + " 24-hour check").isEqualTo(due);
        assertThat(events).containsExactly("obtained", "renewed");
        assertThat(host.installed().get(HTTPS).metadata().issuedAt()).isEqualTo(due);
    }

    @Test
    void checksAboutEveryTwentyFourHoursWithAFewMinutesOfJitter() {
        keeper.enroll(request());
        Instant enrolled = clock.instant();

        Instant next = keeper.status(DOMAIN).nextCheck();

        assertThat(next).isBetween(enrolled.plus(Duration.ofHours(24)), enrolled.plus(Duration.ofHours(24)).plus(Duration.ofMinutes(5)));
    }

    @Test
    void aSixDayCertificateIsRenewedOncePerLifetime() {
        issuer.lifetime = Duration.ofDays(6);
        keeper.enroll(request());
        Instant start = clock.instant();

        runUntil(start.plus(Duration.ofDays(30)));

        assertThat(issuer.calls()).as("one issuance per 3 days of a 6-day certificate over 30 days").isBetween(10, 11);
        assertThat(stored().metadata().isValidAt(clock.instant())).isTrue();
    }

    @Test
    void failuresBackOffOneTenAndHundredMinutesThenADay() {
        keeper.enroll(request());
        clock.advance(Duration.ofDays(70));
        for (int i = 0; i < 5; i++) {
            issuer.failures.add(new CertificateAuthorityException("CA down", null, null, null));
        }
        List<Duration> pauses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Instant before = clock.instant();
            keeper.checkDue();
            Instant next = keeper.earliestCheck().orElseThrow();
            pauses.add(Duration.between(before, next));
            clock.set(next);
        }

        assertThat(pauses).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(100),
                Duration.ofHours(24), Duration.ofHours(24));
        assertThat(keeper.status(DOMAIN).isPaused()).as("a CA outage is no reason to pause").isFalse();
        assertThat(keeper.status(DOMAIN).consecutiveFailures()).isEqualTo(5);
    }

    @Test
    void aLongerRetryAfterFromTheCaWins() {
        keeper.enroll(request());
        clock.advance(Duration.ofDays(70));
        Instant retryAfter = clock.instant().plus(Duration.ofHours(3));
        issuer.failures.add(new RateLimitedException("slow down", null, retryAfter, null));

        keeper.checkDue();

        assertThat(keeper.earliestCheck()).contains(retryAfter);
        assertThat(keeper.status(DOMAIN).lastError()).isEqualTo("slow down");
    }

    @Test
    void aFailedRenewalLeavesTheWorkingCertificateInstalledAndStored() {
        keeper.enroll(request());
        IssuedCertificate working = stored();
        clock.advance(Duration.ofDays(70));
        issuer.failures.add(challengeFailed());

        keeper.checkDue();

        assertThat(stored()).isSameAs(working);
        assertThat(host.installed().get(HTTPS)).isSameAs(working);
        CertificateStatus status = keeper.status(DOMAIN);
        assertThat(status.serialNumber()).isEqualTo(working.metadata().serialNumber());
        assertThat(status.lastError()).startsWith("The Let's Encrypt HTTP challenge failed with status 'invalid'");
        assertThat(status.lastAttempt()).isEqualTo(clock.instant());
    }

    @Test
    void warnsWhenRenewalKeepsFailingPastTheMiddleOfTheWindow() {
        keeper.enroll(request());
        Instant notAfter = stored().metadata().notAfter();
        clock.advance(Duration.ofDays(70));
        issuer.failures.add(new CertificateAuthorityException("CA down", null, null, null));
        keeper.checkDue();
        assertThat(events).noneMatch(e -> e.startsWith("expiring"));

        clock.advance(Duration.ofDays(10));
        issuer.failures.add(new CertificateAuthorityException("CA down", null, null, null));
        keeper.checkDue();

        assertThat(events).contains("expiring " + notAfter);
    }

    @Test
    void manageInstallsAStoredValidCertificateWithoutCallingTheCaAndRemembersTheEnrollment() {
        IssuedCertificate stored = TestCertificates.issued(DOMAIN, clock.instant().minus(Duration.ofDays(10)), Duration.ofDays(90));
        store.saveCertificate(stored);

        CertificateStatus status = keeper.manage(request(), true);

        assertThat(issuer.calls()).isZero();
        assertThat(host.installed().get(HTTPS)).isSameAs(stored);
        assertThat(status.nextCheck()).isAfter(clock.instant());
        assertThat(store.loadEnrollments()).containsKey(DOMAIN);
        keeper.checkDue();
        assertThat(issuer.calls()).as("first check is not due yet").isZero();
    }

    /** Another server of a cluster: its own keeper and host, the same store and CA. */
    private CertificateKeeper otherServer(RecordingBindingProvider otherHost) {
        return new CertificateKeeper(issuer, store, otherHost, new InMemoryChallengeSolver(),
                new CertificateKeeper.Settings(RenewalPolicy.standard(), clock, new SplittableRandom(7), List.of(),
                        true, 5, KeyType.EC_P256, null, InstallVerifier.none()));
    }

    /** The domain enrolled by this server, and resumed by another one serving through {@code otherHost}. */
    private CertificateKeeper enrolledHereAndResumedBy(RecordingBindingProvider otherHost) {
        CertificateKeeper other = otherServer(otherHost);
        keeper.enroll(request());
        other.resume();
        return other;
    }

    @Test
    void anEnrollmentAnotherServerMadeAfterThisOneStartedIsTakenUpWhenItsCertificateIsStored() {
        RecordingBindingProvider otherHost = new RecordingBindingProvider("http://portal.example.com:8080");
        CertificateKeeper other = otherServer(otherHost);
        assertThat(other.resume()).isEmpty();

        keeper.enroll(request());
        other.storedCertificateChanged(DOMAIN); // what the store's change feed reports

        assertThat(other.managedDomains()).containsExactly(DOMAIN);
        assertThat(otherHost.installed().get(HTTPS).metadata().serialNumber())
                .isEqualTo(store.loadMetadata(DOMAIN).orElseThrow().serialNumber());
        assertThat(issuer.calls()).as("taken from the store, not ordered again").isEqualTo(1);
    }

    @Test
    void anEnrollmentAnotherServerStoppedManagingIsNotRenewedHere() {
        CertificateKeeper other = otherServer(new RecordingBindingProvider("http://portal.example.com:8080"));
        keeper.enroll(request());
        other.resume();
        keeper.manage(Enrollments.request("http://other.example.com:8080"), false); // managed here, never stored

        keeper.unmanage(DOMAIN, false);
        clock.set(store.loadMetadata(DOMAIN).orElseThrow().notAfter().minus(Duration.ofDays(1)));
        other.checkDue();

        assertThat(issuer.calls()).as("nobody renews it").isEqualTo(1);
        assertThat(other.managedDomains()).isEmpty();
        keeper.checkDue();
        assertThat(keeper.managedDomains()).as("an enrollment never kept in the store is not let go")
                .containsExactly(OTHER);
    }

    @Test
    void aCertificateDeletedWithItsEnrollmentIsTakenOffHereAndByEveryOtherServerAtItsNextCheck() {
        RecordingBindingProvider otherHost = new RecordingBindingProvider("http://portal.example.com:8080");
        CertificateKeeper other = enrolledHereAndResumedBy(otherHost);
        assertThat(otherHost.installed()).containsKey(HTTPS);

        keeper.unmanage(DOMAIN, true);

        assertThat(host.installed()).as("taken off here at once").doesNotContainKey(HTTPS);
        assertThat(otherHost.installed()).as("still served there until its next check").containsKey(HTTPS);
        clock.set(other.earliestCheck().orElseThrow());
        other.checkDue();
        assertThat(otherHost.installed()).doesNotContainKey(HTTPS);
        assertThat(issuer.calls()).isEqualTo(1);
    }

    @Test
    void anEnrollmentStoppedWithoutDeletingItsCertificateKeepsItServedEverywhere() {
        RecordingBindingProvider otherHost = new RecordingBindingProvider("http://portal.example.com:8080");
        CertificateKeeper other = enrolledHereAndResumedBy(otherHost);

        keeper.unmanage(DOMAIN, false);
        clock.set(other.earliestCheck().orElseThrow());
        other.checkDue();

        assertThat(host.installed()).containsKey(HTTPS);
        assertThat(otherHost.installed()).containsKey(HTTPS);
        assertThat(other.managedDomains()).isEmpty();
    }

    @Test
    void aCertificateThatStartsALittleAfterThisClockIsStillInstalledButAnExpiredOneIsNot() {
        IssuedCertificate early = TestCertificates.issued(DOMAIN, clock.instant().plus(Duration.ofMinutes(10)), Duration.ofDays(90));
        store.saveCertificate(early);

        keeper.manage(request(), true);

        assertThat(host.installed().get(HTTPS)).as("a CA clock 10 minutes ahead is tolerated").isSameAs(early);

        store.saveCertificate(TestCertificates.issued(OTHER, clock.instant().minus(Duration.ofDays(91)), Duration.ofDays(90)));
        keeper.manage(Enrollments.request("http://other.example.com:8080"), true);
        assertThat(host.installed()).doesNotContainKey(Binding.parse("https://other.example.com:8443"));
        assertThat(keeper.status(OTHER).nextCheck()).as("an expired certificate is renewed at once").isEqualTo(clock.instant());
    }

    @Test
    void oneCertificateCoversTheDomainAndItsExtraNames() {
        EnrollmentRequest request = request().toBuilder().extraNames("www.example.com", "api.example.com").build();

        CertificateStatus status = keeper.enroll(request);

        assertThat(issuer.orders.get(0).names()).containsExactly(DOMAIN, "www.example.com", "api.example.com");
        assertThat(status.names()).containsExactly(DOMAIN, "www.example.com", "api.example.com");
        assertThat(host.installed().get(HTTPS).metadata().names()).containsExactly(DOMAIN, "www.example.com",
                "api.example.com");
    }

    @Test
    void aNameAddedToTheEnrollmentRenewsAtTheNextCheckWhileTheStoredCertificateKeepsServing() {
        keeper.enroll(request());
        IssuedCertificate single = stored();

        keeper.manage(request().toBuilder().extraNames("www.example.com").build(), true);

        assertThat(host.installed().get(HTTPS)).as("still served until the new one exists").isSameAs(single);
        assertThat(keeper.status(DOMAIN).nextCheck()).isEqualTo(clock.instant());
        keeper.checkDue();
        assertThat(issuer.calls()).isEqualTo(2);
        assertThat(stored().metadata().names()).containsExactly(DOMAIN, "www.example.com");
        keeper.checkDue();
        assertThat(issuer.calls()).as("covered now, so not renewed again").isEqualTo(2);
    }

    @Test
    void manageWithoutAStoredCertificateIsDueAtTheFirstCheck() {
        keeper.manage(request(), true);
        assertThat(issuer.calls()).isZero();

        keeper.checkDue();

        assertThat(issuer.calls()).isEqualTo(1);
        assertThat(host.installed()).containsKey(HTTPS);
    }

    @Test
    void renewNowRenewsEvenWhenNotDueAndRefusesUnmanagedDomains() {
        keeper.enroll(request());

        keeper.renewNow(DOMAIN);

        assertThat(issuer.calls()).isEqualTo(2);
        assertThatThrownBy(() -> keeper.renewNow("unknown.example.com"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not managed");
    }

    @Test
    void aHostThatNeedsARestartIsReported() {
        host.answer(InstallResult.RESTART_REQUIRED);

        CertificateStatus status = keeper.enroll(request());

        assertThat(status.installResult()).isEqualTo(InstallResult.RESTART_REQUIRED);
    }

    @Test
    void theCasRenewalWindowWinsOverThePolicyAndTheOrderNamesTheReplacedCertificate() {
        keeper.enroll(request());
        IssuedCertificate first = stored();
        Instant start = clock.instant().plus(Duration.ofDays(10));
        RenewalWindow window = new RenewalWindow(start, start.plus(Duration.ofDays(2)), URI.create("https://ca.test/incident"));
        issuer.renewalAdvice = certificate -> certificate.equals(first.leaf())
                ? Optional.of(new Issuer.RenewalAdvice(window, null)) : Optional.empty();

        runUntil(start.minusSeconds(1));
        assertThat(issuer.calls()).as("not before the window").isEqualTo(1);
        assertThat(keeper.status(DOMAIN).renewalWindow()).isEqualTo(window);

        runUntil(start.plus(Duration.ofDays(2)));
        assertThat(issuer.calls()).as("renewed inside the CA's window, long before day 69").isEqualTo(2);
        assertThat(stored().metadata().issuedAt()).isBetween(start, window.end());
        assertThat(issuer.orders).extracting(Issuer.Order::replacing).containsExactly(null, first.leaf());
    }

    @Test
    void theCaIsAskedForRenewalInformationAgainWhenItsRetryAfterSaysAndAtLeastOnceADay() {
        keeper.enroll(request());
        Instant start = clock.instant().plus(Duration.ofDays(40));
        RenewalWindow window = new RenewalWindow(start, start.plus(Duration.ofDays(2)), null);
        issuer.renewalAdvice = certificate -> Optional.of(new Issuer.RenewalAdvice(window,
                clock.instant().plus(Duration.ofHours(3))));

        runUntil(clock.instant().plus(Duration.ofDays(3)));

        List<Instant> asked = issuer.adviceAskedAt;
        assertThat(asked).as("asked from the first check on, a day after enrolling").hasSizeGreaterThanOrEqualTo(16);
        for (int i = 1; i < asked.size(); i++) {
            assertThat(Duration.between(asked.get(i - 1), asked.get(i))).as("asked again after the CA's Retry-After")
                    .isEqualTo(Duration.ofHours(3));
        }

        issuer.adviceAskedAt.clear();
        issuer.renewalAdvice = certificate -> Optional.of(new Issuer.RenewalAdvice(window,
                clock.instant().plus(Duration.ofDays(3))));
        runUntil(clock.instant().plus(Duration.ofDays(3)));
        assertThat(asked).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < asked.size(); i++) {
            assertThat(Duration.between(asked.get(i - 1), asked.get(i)))
                    .as("a Retry-After of three days is cut to a day (RFC 9773)").isEqualTo(Duration.ofDays(1));
        }
        assertThat(issuer.calls()).as("no renewal before the window").isEqualTo(1);
    }

    @Test
    void aSixDayCertificateIsCheckedSeveralTimesADayAndRenewedBeforeItExpires() {
        issuer.lifetime = Duration.ofDays(6);
        keeper.enroll(request());
        Instant firstExpiry = store.loadMetadata(DOMAIN).orElseThrow().notAfter();
        List<Instant> checks = new ArrayList<>();

        while (clock.instant().isBefore(firstExpiry)) {
            keeper.checkDue();
            Instant next = keeper.earliestCheck().orElseThrow();
            if (issuer.calls() > 1) {
                break;
            }
            checks.add(next);
            clock.set(next);
        }

        assertThat(issuer.calls()).as("renewed").isEqualTo(2);
        assertThat(clock.instant()).as("renewed before expiry").isBefore(firstExpiry);
        long firstDayChecks = checks.stream().filter(at -> at.isBefore(firstExpiry.minus(Duration.ofDays(5)))).count();
        assertThat(firstDayChecks).as("checks on the first day").isGreaterThanOrEqualTo(3);
    }

    @Test
    void aRenewalWindowTooCloseToExpiryIsOverruledWithATenthOfTheLifetimeLeft() {
        keeper.enroll(request());
        Instant notAfter = store.loadMetadata(DOMAIN).orElseThrow().notAfter();
        RenewalWindow tooLate = new RenewalWindow(notAfter.minus(Duration.ofDays(2)), notAfter.minus(Duration.ofDays(1)), null);
        issuer.renewalAdvice = certificate -> Optional.of(new Issuer.RenewalAdvice(tooLate, null));

        runUntil(notAfter.minus(Duration.ofDays(9)).minusSeconds(1));
        assertThat(issuer.calls()).as("the CA's window is followed until then").isEqualTo(1);
        runUntil(notAfter.minus(Duration.ofDays(9)).plus(Duration.ofHours(7)));
        assertThat(issuer.calls()).as("renewed with a tenth of the lifetime left").isEqualTo(2);
    }

    @Test
    void unreadableRenewalInformationLeavesTheDecisionToThePolicy() {
        keeper.enroll(request());
        issuer.renewalAdvice = certificate -> {
            throw new CertificateAuthorityException("renewal info unavailable", null, null, null);
        };
        Instant issuedAt = clock.instant();

        runUntil(issuedAt.plus(Duration.ofDays(68)));
        assertThat(issuer.calls()).isEqualTo(1);
        runUntil(issuedAt.plus(Duration.ofDays(70)));
        assertThat(issuer.calls()).isEqualTo(2);
    }

    @Test
    void anUnexpectedExceptionStillBacksOffAndKeepsTheCertificate() {
        keeper.enroll(request());
        IssuedCertificate working = stored();
        clock.advance(Duration.ofDays(70));
        issuer.failures.add(new IllegalStateException("a bug in a plugin"));

        keeper.checkDue();

        assertThat(keeper.earliestCheck()).contains(clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(keeper.status(DOMAIN).lastError()).contains("Unexpected failure").contains("a bug in a plugin");
        assertThat(stored()).isSameAs(working);
    }

    @Test
    void aNameIsPausedAfterFiveFailedValidationsInARowAndRenewNowResumesIt() {
        keeper.enroll(request());
        clock.advance(Duration.ofDays(70));
        for (int i = 0; i < 5; i++) {
            issuer.failures.add(challengeFailed());
        }
        for (int i = 0; i < 5; i++) {
            keeper.checkDue();
            clock.set(keeper.earliestCheck().orElseThrow());
        }
        Instant pausedAt = keeper.status(DOMAIN).lastAttempt();

        CertificateStatus paused = keeper.status(DOMAIN);
        assertThat(paused.isPaused()).isTrue();
        assertThat(paused.pausedUntil()).contains(pausedAt.plus(Duration.ofDays(1)));
        assertThat(paused.lastError()).startsWith("The Let's Encrypt HTTP challenge failed")
                .contains("paused until " + pausedAt.plus(Duration.ofDays(1)))
                .contains("after 5 failed validations in a row");
        assertThat(issuer.calls()).isEqualTo(6);
        clock.set(pausedAt.plus(Duration.ofHours(23)));
        keeper.checkDue();
        assertThat(issuer.calls()).as("nothing is tried while paused").isEqualTo(6);

        CertificateStatus resumed = keeper.renewNow(DOMAIN);

        assertThat(issuer.calls()).isEqualTo(7);
        assertThat(resumed.isPaused()).isFalse();
        assertThat(resumed.lastError()).isNull();
        assertThat(resumed.consecutiveFailures()).isZero();
    }

    @Test
    void aPausedNameIsTriedAgainByItselfAfterADay() {
        keeper.enroll(request());
        clock.advance(Duration.ofDays(70));
        for (int i = 0; i < 5; i++) {
            issuer.failures.add(challengeFailed());
            keeper.checkDue();
            clock.set(keeper.earliestCheck().orElseThrow());
        }
        Instant pauseEnd = keeper.status(DOMAIN).pausedUntil().orElseThrow();
        assertThat(clock.instant()).isEqualTo(pauseEnd);

        keeper.checkDue();

        assertThat(issuer.calls()).isEqualTo(7);
        assertThat(keeper.status(DOMAIN).isPaused()).isFalse();
        assertThat(stored().metadata().issuedAt()).isEqualTo(pauseEnd);
    }

    @Test
    void resumeInstallsEveryStoredEnrollmentWithoutCallingTheCa() {
        keeper.enroll(request());
        keeper.enroll(Enrollments.request("http://other.example.com:8080"));
        RecordingBindingProvider restartedHost = new RecordingBindingProvider("http://portal.example.com:8080",
                "http://other.example.com:8080");
        FakeIssuer restartedIssuer = new FakeIssuer(clock);
        CertificateKeeper restarted = new CertificateKeeper(restartedIssuer, store, restartedHost,
                new InMemoryChallengeSolver(), new CertificateKeeper.Settings(policy, clock, new SplittableRandom(1),
                List.of(), true, 5, KeyType.EC_P256, null, InstallVerifier.none()));

        List<String> resumed = restarted.resume();

        assertThat(resumed).containsExactlyInAnyOrder(DOMAIN, OTHER);
        assertThat(restartedIssuer.calls()).isZero();
        assertThat(restartedHost.installed()).containsOnlyKeys(HTTPS, Binding.parse("https://other.example.com:8443"));
        assertThat(restarted.enrollments()).containsExactlyInAnyOrder(request(),
                Enrollments.request("http://other.example.com:8080"));
        assertThat(restarted.status(DOMAIN).nextCheck()).isAfter(clock.instant());
    }

    @Test
    void aStoredEnrollmentThatCannotBeReadIsSkippedAndTheOthersResume() {
        keeper.enroll(request());
        store.saveEnrollment("broken.example.com", Map.of("version", "1", "email", "admin@example.com"));
        store.saveEnrollment("future.example.com", Map.of("version", "7", "binding", "http://future.example.com:80"));
        CertificateKeeper restarted = keeper();

        assertThat(restarted.resume()).containsExactly(DOMAIN);
        assertThat(restarted.managedDomains()).containsExactly(DOMAIN);
        assertThat(store.loadEnrollments()).as("what cannot be read is left as it is")
                .containsKeys("broken.example.com", "future.example.com");
    }

    @Test
    void aFailedEnrollmentStaysManagedAndRememberedAndIsRetried() {
        issuer.failures.add(challengeFailed());

        assertThatThrownBy(() -> keeper.enroll(request())).isInstanceOf(ChallengeFailedException.class);

        assertThat(keeper.managedDomains()).containsExactly(DOMAIN);
        assertThat(store.loadEnrollments()).containsKey(DOMAIN);
        assertThat(keeper.earliestCheck()).contains(clock.instant().plus(Duration.ofMinutes(1)));
        clock.advance(Duration.ofMinutes(1));
        keeper.checkDue();
        assertThat(issuer.calls()).isEqualTo(2);
        assertThat(keeper.status(DOMAIN).hasCertificate()).isTrue();
        assertThat(keeper.status(DOMAIN).lastError()).isNull();
    }

    @Test
    void unmanageStopsRenewalAndForgetsTheEnrollmentButKeepsTheCertificate() {
        keeper.enroll(request());
        keeper.enroll(Enrollments.request("http://other.example.com:8080"));

        keeper.unmanage(DOMAIN, false);
        runUntil(clock.instant().plus(Duration.ofDays(100)));

        assertThat(keeper.managedDomains()).containsExactly(OTHER);
        assertThat(store.loadEnrollments()).containsOnlyKeys(OTHER);
        assertThat(store.loadCertificate(DOMAIN)).isPresent();
        assertThat(issuer.orders).filteredOn(order -> order.domain().equals(DOMAIN)).hasSize(1);
        assertThat(issuer.orders).filteredOn(order -> order.domain().equals(OTHER)).hasSizeGreaterThan(1);
        assertThatThrownBy(() -> keeper.unmanage(DOMAIN, false)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not managed");
    }

    @Test
    void unmanageCanDeleteTheStoredCertificateAndKey() {
        keeper.enroll(request());

        keeper.unmanage(DOMAIN, true);

        assertThat(store.loadCertificate(DOMAIN)).isEmpty();
        assertThat(store.loadEnrollments()).isEmpty();
    }

    @Test
    void aBindingThatServesAnotherCertificateAfterInstallGetsThePreviousOneBackAndIsInstalledAgainLater() {
        keeper.enroll(request());
        IssuedCertificate working = stored();
        verifier = (binding, name, serial) -> new InstallVerifier.Outcome(InstallVerifier.Verdict.OTHER_CERTIFICATE,
                "serial " + working.metadata().serialNumber());

        assertThatThrownBy(() -> keeper.renewNow(DOMAIN)).isInstanceOf(AutoCertException.class)
                .hasMessageContaining("but a TLS handshake there got serial " + working.metadata().serialNumber())
                .hasMessageContaining("The previous certificate was put back");

        IssuedCertificate renewed = stored();
        assertThat(renewed).isNotSameAs(working);
        assertThat(host.installed().get(HTTPS)).as("the previous certificate is back").isSameAs(working);
        assertThat(keeper.earliestCheck()).contains(clock.instant().plus(Duration.ofMinutes(1)));

        verifier = (binding, name, serial) -> new InstallVerifier.Outcome(InstallVerifier.Verdict.SERVED, serial);
        clock.advance(Duration.ofMinutes(1));
        keeper.checkDue();

        assertThat(host.installed().get(HTTPS)).as("installed again, verified").isSameAs(renewed);
        assertThat(issuer.calls()).as("no new certificate needed for that").isEqualTo(2);
        assertThat(keeper.status(DOMAIN).lastError()).isNull();
        assertThat(keeper.status(DOMAIN).consecutiveFailures()).isZero();
    }

    @Test
    @SuppressWarnings("deprecation") // the request's email, the deprecated way to name the account's contact
    void anEnrollmentsEmailNoLongerBecomesTheAccountsContactAndUpdatingTheAccountLeavesEnrollmentsAlone() {
        keeper.enroll(request());
        assertThat(issuer.emailUpdates).as("the last enrollment's email does not overwrite the account's").isEmpty();

        keeper.updateAccountEmail("new-admin@autocert4j.test");

        assertThat(issuer.emailUpdates).containsExactly("new-admin@autocert4j.test");
        assertThat(keeper.enrollments()).extracting(EnrollmentRequest::email).containsExactly("admin@autocert4j.test");
    }

    @Test
    void revokingInstallsANewCertificateFirstThenRevokesTheOldOne() {
        keeper.enroll(request());
        IssuedCertificate old = stored();

        CertificateStatus status = keeper.revoke(DOMAIN, RevocationReason.KEY_COMPROMISE);

        assertThat(status.serialNumber()).isNotEqualTo(old.metadata().serialNumber());
        assertThat(host.installed().get(HTTPS).metadata().serialNumber()).isEqualTo(status.serialNumber());
        assertThat(issuer.revoked).containsExactly(old.metadata().serialNumber() + " KEY_COMPROMISE");
    }

    @Test
    void revokingWithoutANewCertificateRevokesNothing() {
        keeper.enroll(request());
        issuer.failures.add(new CertificateAuthorityException("CA down", null, null, null));

        assertThatThrownBy(() -> keeper.revoke(DOMAIN, RevocationReason.SUPERSEDED)).hasMessage("CA down");

        assertThat(issuer.revoked).isEmpty();
    }

    @Test
    void aThrowingRenewalPolicyIsRecordedAndBacksOffAndTheOtherDomainsAreStillChecked() {
        keeper.enroll(request());
        keeper.enroll(Enrollments.request("http://other.example.com:8080"));
        brokenPolicyFor = DOMAIN;
        clock.advance(Duration.ofDays(70));

        keeper.checkDue();

        assertThat(keeper.status(DOMAIN).lastError()).contains("policy plugin bug");
        assertThat(keeper.status(DOMAIN).nextCheck()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(issuer.orders).filteredOn(order -> order.domain().equals(OTHER)).as("the other domain renewed")
                .hasSize(2);
    }

    @Test
    void aStoreThatThrowsARawExceptionForOneDomainIsRecordedAndTheOtherDomainsAreStillChecked() {
        dev.autocert4j.CertificateStore damaged = new dev.autocert4j.CertificateStore() {
            @Override
            public Optional<dev.autocert4j.AcmeAccount> loadAccount(URI caDirectory) {
                return store.loadAccount(caDirectory);
            }

            @Override
            public void saveAccount(dev.autocert4j.AcmeAccount account) {
                store.saveAccount(account);
            }

            @Override
            public Optional<IssuedCertificate> loadCertificate(String domain) {
                return store.loadCertificate(domain);
            }

            @Override
            public Optional<CertificateMetadata> loadMetadata(String domain) {
                if (domain.equals(DOMAIN)) {
                    throw new NullPointerException("issuedAt"); // a plugin store with a parse bug
                }
                return store.loadMetadata(domain);
            }

            @Override
            public void saveCertificate(IssuedCertificate certificate) {
                store.saveCertificate(certificate);
            }

            @Override
            public List<String> domains() {
                return store.domains();
            }
        };
        CertificateKeeper withDamagedStore = new CertificateKeeper(issuer, damaged, host, new InMemoryChallengeSolver(),
                new CertificateKeeper.Settings(policy, clock, new SplittableRandom(3), List.of(), true, 5,
                        KeyType.EC_P256, null, InstallVerifier.none()));
        assertThatThrownBy(() -> withDamagedStore.manage(request(), false))
                .isInstanceOf(dev.autocert4j.CertificateStoreException.class)
                .hasMessageContaining("failed to read the metadata of portal.example.com")
                .hasMessageContaining("NullPointerException: issuedAt");
        withDamagedStore.manage(Enrollments.request("http://other.example.com:8080"), false);

        withDamagedStore.checkDue();

        assertThat(issuer.orders).extracting(Issuer.Order::domain).containsExactly(OTHER);
        assertThat(withDamagedStore.earliestCheck()).as("no tight loop: the next look is a minute away")
                .contains(clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(withDamagedStore.managedDomains()).containsExactlyInAnyOrder(DOMAIN, OTHER);
    }

    @Test
    void aRecordTheStoreRefusesShowsAsNoCertificateWithTheStoresReasonAndTheOtherNamesStillShow() {
        store.saveCertificate(TestCertificates.issued(OTHER));
        dev.autocert4j.CertificateStore refusing = new dev.autocert4j.testkit.ForwardingCertificateStore(store) {
            @Override
            public Optional<CertificateMetadata> loadMetadata(String domain) {
                if (domain.equals(DOMAIN)) {
                    throw new dev.autocert4j.CertificateStoreException("The row of " + domain + " is not sealed with the store key", null);
                }
                return super.loadMetadata(domain);
            }
        };
        CertificateKeeper keeper = new CertificateKeeper(issuer, refusing, host, new InMemoryChallengeSolver(),
                new CertificateKeeper.Settings(policy, clock, new SplittableRandom(3), List.of(), true, 5,
                        KeyType.EC_P256, null, InstallVerifier.none()));

        CertificateStatus refused = keeper.status(DOMAIN);
        CertificateStatus other = keeper.status(OTHER);

        assertThat(refused.serialNumber()).isNull();
        assertThat(refused.lastError()).isEqualTo("The row of portal.example.com is not sealed with the store key");
        assertThat(other.serialNumber()).isNotNull();
    }
}
