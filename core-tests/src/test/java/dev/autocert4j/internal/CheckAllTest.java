package dev.autocert4j.internal;

import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.ChallengeFailedException;
import dev.autocert4j.CheckResult.Action;
import dev.autocert4j.CheckResult.Condition;
import dev.autocert4j.CheckResult;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.testing.Enrollments;
import dev.autocert4j.testing.TestRenewalLock;
import dev.autocert4j.testkit.InMemoryCertificateStore;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.RecordingBindingProvider;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check of every certificate a one-shot tool (a cron job) relies on: due and expired
 * certificates are renewed, each at most once per check, failures are reported with the
 * certificate's condition, and a working certificate is never dropped. The clock is moved, nothing sleeps.
 */
class CheckAllTest {

    private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");
    private static final Duration NINETY_DAYS = Duration.ofDays(90);

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryCertificateStore store = new InMemoryCertificateStore();
    private final RecordingBindingProvider host = new RecordingBindingProvider("http://valid.example.com:8080",
            "http://due.example.com:8080", "http://expired.example.com:8080", "http://missing.example.com:8080");
    private final FakeIssuer issuer = new FakeIssuer(clock);
    private final CertificateKeeper keeper = new CertificateKeeper(issuer, store, host, new InMemoryChallengeSolver(),
            new CertificateKeeper.Settings(RenewalPolicy.standard(), clock, new SplittableRandom(7), List.of(), true, 5,
                    KeyType.EC_P256, null, InstallVerifier.none()));

    private static EnrollmentRequest request(String name) {
        return Enrollments.request("http://" + name + ":8080");
    }

    /** Stores a 90-day certificate issued {@code age} ago, and manages its enrollment. */
    private String manageWithCertificateOfAge(String name, Duration age) {
        store.saveCertificate(TestCertificates.issued(List.of(name), NOW.minus(age), NINETY_DAYS));
        keeper.manage(request(name), true);
        return serial(name);
    }

    private String serial(String name) {
        return store.loadMetadata(name).map(CertificateMetadata::serialNumber).orElse(null);
    }

    private long ordersFor(String name) {
        return issuer.orders.stream().filter(order -> order.domain().equals(name)).count();
    }

    @Test
    void renewsTheDueAndTheExpiredObtainsTheMissingAndKeepsTheValidEachOnce() {
        String valid = manageWithCertificateOfAge("valid.example.com", Duration.ofDays(10));
        String due = manageWithCertificateOfAge("due.example.com", Duration.ofDays(80));
        String expired = manageWithCertificateOfAge("expired.example.com", Duration.ofDays(100));
        keeper.manage(request("missing.example.com"), true);

        CheckResult result = keeper.checkAll();

        assertThat(result.outcomes()).extracting(CheckResult.Outcome::domain).containsExactly("due.example.com",
                "expired.example.com", "missing.example.com", "valid.example.com");
        assertThat(result.outcome("valid.example.com").orElseThrow()).satisfies(outcome -> {
            assertThat(outcome.action()).isEqualTo(Action.KEPT);
            assertThat(outcome.condition()).isEqualTo(Condition.VALID);
            assertThat(outcome.reason()).startsWith("Valid until " + NOW.plus(Duration.ofDays(80)));
            assertThat(outcome.status().serialNumber()).isEqualTo(valid);
        });
        assertThat(result.outcome("due.example.com").orElseThrow()).satisfies(outcome -> {
            assertThat(outcome.action()).isEqualTo(Action.RENEWED);
            assertThat(outcome.condition()).isEqualTo(Condition.VALID);
            assertThat(outcome.reason()).startsWith("The certificate (serial " + due + ") was due for renewal");
            assertThat(outcome.status().serialNumber()).isNotEqualTo(due).isEqualTo(serial("due.example.com"));
        });
        assertThat(result.outcome("expired.example.com").orElseThrow()).satisfies(outcome -> {
            assertThat(outcome.action()).isEqualTo(Action.RENEWED);
            assertThat(outcome.condition()).isEqualTo(Condition.VALID);
            assertThat(outcome.reason()).startsWith("The certificate (serial " + expired + ") had expired at "
                    + NOW.minus(Duration.ofDays(10)));
        });
        assertThat(result.outcome("missing.example.com").orElseThrow().action()).isEqualTo(Action.OBTAINED);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.problems()).isEmpty();
        assertThat(ordersFor("valid.example.com")).isZero();
        assertThat(List.of(ordersFor("due.example.com"), ordersFor("expired.example.com"),
                ordersFor("missing.example.com"))).containsOnly(1L);
    }

    @Test
    void aFailedRenewalIsOrderedOnceKeepsTheWorkingCertificateAndSaysWhy() {
        String due = manageWithCertificateOfAge("due.example.com", Duration.ofDays(80));
        issuer.failures.add(new CertificateAuthorityException("The CA answered 500 Internal Server Error", null, null, null));
        issuer.failures.add(new CertificateAuthorityException("a second order in the same check", null, null, null));

        CheckResult result = keeper.checkAll();

        CheckResult.Outcome outcome = result.outcome("due.example.com").orElseThrow();
        assertThat(outcome.action()).isEqualTo(Action.FAILED);
        assertThat(outcome.condition()).as("still valid, still due").isEqualTo(Condition.DUE);
        assertThat(outcome.reason()).startsWith("The CA answered 500 Internal Server Error")
                .endsWith("The current certificate (serial " + due + ", valid until " + NOW.plus(Duration.ofDays(10))
                        + ") stays in place.");
        assertThat(outcome.status().lastError()).isEqualTo("The CA answered 500 Internal Server Error");
        assertThat(outcome.status().serialNumber()).isEqualTo(due);
        assertThat(serial("due.example.com")).as("the working certificate stays").isEqualTo(due);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.anyFailed()).isTrue();
        assertThat(result.problems()).containsExactly(outcome);
        assertThat(issuer.calls()).as("at most one order per certificate per check").isEqualTo(1);
    }

    @Test
    void aSecondCheckRightAfterAFailureTriesAgainWhereTheScheduledCheckWouldBackOff() {
        String due = manageWithCertificateOfAge("due.example.com", Duration.ofDays(80));
        issuer.failures.add(new CertificateAuthorityException("The CA answered 503", null, null, null));
        keeper.checkAll();

        keeper.checkDue();
        assertThat(issuer.calls()).as("the scheduled check backs off for a minute").isEqualTo(1);

        CheckResult second = keeper.checkAll();
        assertThat(issuer.calls()).isEqualTo(2);
        assertThat(second.outcome("due.example.com").orElseThrow().action()).isEqualTo(Action.RENEWED);
        assertThat(serial("due.example.com")).isNotEqualTo(due);
        assertThat(second.succeeded()).isTrue();
    }

    @Test
    void anExpiredCertificateThatCannotBeRenewedIsReportedExpired() {
        manageWithCertificateOfAge("expired.example.com", Duration.ofDays(100));
        issuer.failures.add(new CertificateAuthorityException("Could not reach the CA", null, null, null));

        CheckResult.Outcome outcome = keeper.checkAll().outcome("expired.example.com").orElseThrow();

        assertThat(outcome.action()).isEqualTo(Action.FAILED);
        assertThat(outcome.condition()).isEqualTo(Condition.EXPIRED);
        assertThat(outcome.reason()).isEqualTo("Could not reach the CA");
    }

    @Test
    void aMissingCertificateThatCannotBeObtainedIsReportedMissing() {
        keeper.manage(request("missing.example.com"), true);
        issuer.failures.add(new CertificateAuthorityException("Could not reach the CA", null, null, null));

        CheckResult result = keeper.checkAll();

        assertThat(result.outcomes()).singleElement().satisfies(outcome -> {
            assertThat(outcome.action()).isEqualTo(Action.FAILED);
            assertThat(outcome.condition()).isEqualTo(Condition.MISSING);
            assertThat(outcome.status().hasCertificate()).isFalse();
        });
        assertThat(result.allValidAndNotDue()).isFalse();
    }

    @Test
    void movingTheClockMakesTheRenewedCertificateDueAndThenTheNextCheckRenewsIt() {
        manageWithCertificateOfAge("valid.example.com", Duration.ofDays(10));
        assertThat(keeper.checkAll().outcome("valid.example.com").orElseThrow().action()).isEqualTo(Action.KEPT);

        clock.set(NOW.plus(Duration.ofDays(59)).minusSeconds(1)); // 21 days before expiry, less a second
        CheckResult.Outcome stillValid = keeper.checkAll().outcome("valid.example.com").orElseThrow();
        assertThat(stillValid.action()).isEqualTo(Action.KEPT);
        assertThat(stillValid.condition()).isEqualTo(Condition.VALID);

        clock.set(NOW.plus(Duration.ofDays(59))); // 21 days before expiry: due
        CheckResult.Outcome renewed = keeper.checkAll().outcome("valid.example.com").orElseThrow();
        assertThat(renewed.action()).isEqualTo(Action.RENEWED);
        assertThat(renewed.condition()).isEqualTo(Condition.VALID);
        assertThat(renewed.status().notAfter()).isEqualTo(NOW.plus(Duration.ofDays(59)).plus(NINETY_DAYS));
        assertThat(issuer.calls()).isEqualTo(1);
    }

    @Test
    void aPausedNameStaysPausedAndTheResultSaysSo() {
        manageWithCertificateOfAge("due.example.com", Duration.ofDays(80));
        for (int i = 0; i < 5; i++) {
            issuer.failures.add(new ChallengeFailedException("Pebble", "invalid",
                    URI.create("http://due.example.com/.well-known/acme-challenge/t"), null, "connection refused"));
            keeper.checkAll();
        }
        int orders = issuer.calls();

        CheckResult.Outcome outcome = keeper.checkAll().outcome("due.example.com").orElseThrow();

        assertThat(issuer.calls()).as("no order while paused").isEqualTo(orders);
        assertThat(outcome.action()).isEqualTo(Action.KEPT);
        assertThat(outcome.condition()).isEqualTo(Condition.DUE);
        assertThat(outcome.reason()).startsWith("Automatic renewal is paused until ");
        assertThat(outcome.isGood()).isFalse();
    }

    @Test
    void aCertificateShortOfAnEnrolledNameIsRenewedForIt() {
        store.saveCertificate(TestCertificates.issued(List.of("valid.example.com"), NOW.minus(Duration.ofDays(1)),
                NINETY_DAYS));
        keeper.manage(request("valid.example.com").toBuilder().extraNames(List.of("www.valid.example.com")).build(),
                true);

        CheckResult.Outcome outcome = keeper.checkAll().outcome("valid.example.com").orElseThrow();

        assertThat(outcome.action()).isEqualTo(Action.RENEWED);
        assertThat(outcome.reason()).contains("did not cover every name of the enrollment");
        assertThat(outcome.status().names()).contains("www.valid.example.com");
    }

    @Test
    void inAClusterACheckWaitsForTheRenewalAnotherServerHoldsAndReportsItsCertificate() {
        TestRenewalLock lock = new TestRenewalLock();
        InMemoryCertificateStore shared = new InMemoryCertificateStore().withRenewalLock(lock);
        int[] sleeps = {0};
        IssuedCertificate renewedByNode2 = TestCertificates.issued(List.of("due.example.com"), NOW, NINETY_DAYS);
        Sleeper sleeper = duration -> {
            clock.advance(duration);
            if (++sleeps[0] == 3) {
                shared.saveCertificate(renewedByNode2);
                lock.release();
            }
        };
        CertificateKeeper node1 = new CertificateKeeper(issuer, shared, host, new InMemoryChallengeSolver(),
                new CertificateKeeper.Settings(RenewalPolicy.standard(), clock, new SplittableRandom(7), List.of(), false,
                        5, KeyType.EC_P256, null, InstallVerifier.none(), sleeper));
        shared.saveCertificate(TestCertificates.issued(List.of("due.example.com"), NOW.minus(Duration.ofDays(80)),
                NINETY_DAYS));
        node1.manage(request("due.example.com"), true);
        lock.heldBy("node-2");

        CheckResult.Outcome outcome = node1.checkAll().outcome("due.example.com").orElseThrow();

        assertThat(issuer.calls()).as("no second order for one name").isZero();
        assertThat(outcome.action()).isEqualTo(Action.RENEWED);
        assertThat(outcome.condition()).isEqualTo(Condition.VALID);
        assertThat(outcome.reason()).startsWith("Another server renewed the certificate (serial "
                + renewedByNode2.metadata().serialNumber());
    }

    @Test
    void nothingManagedIsNothingToDo() {
        CheckResult result = keeper.checkAll();

        assertThat(result.outcomes()).isEmpty();
        assertThat(result.succeeded()).isTrue();
    }
}
