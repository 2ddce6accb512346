package dev.autocert4j;

import dev.autocert4j.internal.Issuer;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeResponder;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Renewal decisions over weeks of simulated time: the clock is moved, nothing sleeps. */
class CertificateKeeperTest {

    private static final String DOMAIN = "portal.example.com";
    private static final Binding HTTPS = Binding.parse("https://portal.example.com:8443");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));
    private final InMemoryCertificateStore store = new InMemoryCertificateStore();
    private final RecordingBindingProvider host = new RecordingBindingProvider("http://portal.example.com:8080");
    private final FakeIssuer issuer = new FakeIssuer();
    private final List<String> events = new ArrayList<>();
    private CertificateKeeper keeper = keeper(RenewalPolicy.standard());

    /** Issues self-signed certificates of a set lifetime, or fails as told. */
    private final class FakeIssuer implements Issuer {
        Duration lifetime = Duration.ofDays(90);
        final Deque<RuntimeException> failures = new ArrayDeque<>();
        final List<X509Certificate> replaced = new ArrayList<>();
        Function<X509Certificate, Optional<RenewalWindow>> renewalInfo = certificate -> Optional.empty();
        int calls;

        @Override
        public IssuedCertificate obtain(String domain, Registration registration, ChallengeResponder responder,
                                        X509Certificate replacing) {
            calls++;
            replaced.add(replacing);
            if (!failures.isEmpty()) {
                throw failures.pop();
            }
            return TestCertificates.issued(domain, clock.instant(), lifetime);
        }

        @Override
        public Optional<RenewalWindow> renewalWindow(java.util.function.Supplier<X509Certificate> certificate) {
            return renewalInfo.apply(certificate.get());
        }
    }

    private CertificateKeeper keeper(RenewalPolicy policy) {
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
        return new CertificateKeeper(issuer, store, host, new InMemoryChallengeResponder(), policy, clock,
                new SplittableRandom(42), List.of(throwing, recorder), true);
    }

    private static EnrollmentRequest request() {
        return dev.autocert4j.testing.Enrollments.request("http://portal.example.com:8080");
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

    @Test
    void aNinetyDayCertificateIsNotRenewedFor69DaysThenOnTheFirstCheckInside21Days() {
        keeper.enroll(request());
        Instant issuedAt = clock.instant();
        assertThat(issuer.calls).isEqualTo(1);

        runUntil(issuedAt.plus(Duration.ofDays(69)).minusSeconds(1));
        assertThat(issuer.calls).as("no renewal before day 69").isEqualTo(1);

        runUntil(issuedAt.plus(Duration.ofDays(70)).plus(Duration.ofMinutes(10)));
        assertThat(issuer.calls).as("renewed on the first check after day 69").isEqualTo(2);
        Instant renewedAt = store.loadCertificate(DOMAIN).orElseThrow().metadata().issuedAt();
        assertThat(renewedAt).isBetween(issuedAt.plus(Duration.ofDays(69)),
                issuedAt.plus(Duration.ofDays(70)).plus(Duration.ofMinutes(5)));
        assertThat(events).containsExactly("obtained", "renewed");
        assertThat(host.installed().get(HTTPS).metadata().issuedAt()).isEqualTo(renewedAt);
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

        assertThat(issuer.calls).as("one issuance per 3 days of a 6-day certificate over 30 days")
                .isBetween(10, 11);
        assertThat(store.loadCertificate(DOMAIN).orElseThrow().metadata().isValidAt(clock.instant())).isTrue();
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
        IssuedCertificate working = store.loadCertificate(DOMAIN).orElseThrow();
        clock.advance(Duration.ofDays(70));
        issuer.failures.add(new ChallengeFailedException("Let's Encrypt", "invalid",
                java.net.URI.create("http://portal.example.com/.well-known/acme-challenge/abc"), null, "connection refused"));

        keeper.checkDue();

        assertThat(store.loadCertificate(DOMAIN).orElseThrow()).isSameAs(working);
        assertThat(host.installed().get(HTTPS)).isSameAs(working);
        CertificateStatus status = keeper.status(DOMAIN);
        assertThat(status.serialNumber()).isEqualTo(working.metadata().serialNumber());
        assertThat(status.lastError()).startsWith("The Let's Encrypt HTTP challenge failed with status 'invalid'");
        assertThat(status.lastAttempt()).isEqualTo(clock.instant());
    }

    @Test
    void warnsWhenRenewalKeepsFailingPastTheMiddleOfTheWindow() {
        keeper.enroll(request());
        Instant notAfter = store.loadCertificate(DOMAIN).orElseThrow().metadata().notAfter();
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
    void manageInstallsAStoredValidCertificateWithoutCallingTheCa() {
        IssuedCertificate stored = TestCertificates.issued(DOMAIN, clock.instant().minus(Duration.ofDays(10)), Duration.ofDays(90));
        store.saveCertificate(stored);

        CertificateStatus status = keeper.manage(request());

        assertThat(issuer.calls).isZero();
        assertThat(host.installed().get(HTTPS)).isSameAs(stored);
        assertThat(status.nextCheck()).isAfter(clock.instant());
        keeper.checkDue();
        assertThat(issuer.calls).as("first check is not due yet").isZero();
    }

    @Test
    void manageWithoutAStoredCertificateIsDueAtTheFirstCheck() {
        keeper.manage(request());
        assertThat(issuer.calls).isZero();

        keeper.checkDue();

        assertThat(issuer.calls).isEqualTo(1);
        assertThat(host.installed()).containsKey(HTTPS);
    }

    @Test
    void renewNowRenewsEvenWhenNotDueAndRefusesUnmanagedDomains() {
        keeper.enroll(request());

        keeper.renewNow(DOMAIN);

        assertThat(issuer.calls).isEqualTo(2);
        assertThatThrownBy(() -> keeper.renewNow("other.example.com"))
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
        IssuedCertificate first = store.loadCertificate(DOMAIN).orElseThrow();
        Instant start = clock.instant().plus(Duration.ofDays(10));
        RenewalWindow window = new RenewalWindow(start, start.plus(Duration.ofDays(2)), java.net.URI.create("https://ca.test/incident"));
        issuer.renewalInfo = certificate -> certificate.equals(first.leaf()) ? Optional.of(window) : Optional.empty();

        runUntil(start.minusSeconds(1));
        assertThat(issuer.calls).as("not before the window").isEqualTo(1);
        assertThat(keeper.status(DOMAIN).renewalWindow()).isEqualTo(window);

        runUntil(start.plus(Duration.ofDays(2)));
        assertThat(issuer.calls).as("renewed inside the CA's window, long before day 69").isEqualTo(2);
        assertThat(store.loadCertificate(DOMAIN).orElseThrow().metadata().issuedAt()).isBetween(start, window.end());
        assertThat(issuer.replaced).containsExactly(null, first.leaf());
    }

    @Test
    void unreadableRenewalInformationLeavesTheDecisionToThePolicy() {
        keeper.enroll(request());
        issuer.renewalInfo = certificate -> {
            throw new CertificateAuthorityException("renewal info unavailable", null, null, null);
        };
        Instant issuedAt = clock.instant();

        runUntil(issuedAt.plus(Duration.ofDays(68)));
        assertThat(issuer.calls).isEqualTo(1);
        runUntil(issuedAt.plus(Duration.ofDays(70)));
        assertThat(issuer.calls).isEqualTo(2);
    }

    @Test
    void anUnexpectedExceptionStillBacksOffAndKeepsTheCertificate() {
        keeper.enroll(request());
        IssuedCertificate working = store.loadCertificate(DOMAIN).orElseThrow();
        clock.advance(Duration.ofDays(70));
        issuer.failures.add(new IllegalStateException("a bug in a plugin"));

        keeper.checkDue();

        assertThat(keeper.earliestCheck()).contains(clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(keeper.status(DOMAIN).lastError()).contains("Unexpected failure").contains("a bug in a plugin");
        assertThat(store.loadCertificate(DOMAIN).orElseThrow()).isSameAs(working);
    }
}
