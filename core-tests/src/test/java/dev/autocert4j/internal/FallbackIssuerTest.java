package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.CertificateAuthorityUnavailableException;
import dev.autocert4j.ChallengeFailedException;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.FallbackPolicy;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.RateLimitedException;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Several CAs as one issuer: which failures move on, what each CA is told, and where the account lives. */
class FallbackIssuerTest {

    private static final URI REJECTED_IDENTIFIER = URI.create("urn:ietf:params:acme:error:rejectedIdentifier");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final CertificateAuthority first = CertificateAuthority.at(URI.create("https://first.test/dir")).named("First");
    private final CertificateAuthority second = CertificateAuthority.at(URI.create("https://second.test/dir")).named("Second");
    private final FakeIssuer atFirst = new FakeIssuer(clock);
    private final FakeIssuer atSecond = new FakeIssuer(clock);
    private final List<String> skipped = new ArrayList<>();

    private FallbackIssuer issuer() {
        return issuer(first);
    }

    private FallbackIssuer issuer(CertificateAuthority firstCa) {
        return new FallbackIssuer(List.of(new FallbackIssuer.Candidate(firstCa, atFirst),
                new FallbackIssuer.Candidate(second, atSecond)), RenewalPolicy.standard(), clock);
    }

    private Issuer.Order order(X509Certificate replacing, URI replacingIssuedBy) {
        return new Issuer.Order("fallback.test", List.of("fallback.test"), ChallengeType.HTTP_01, null, KeyType.EC_P256,
                null, replacing, null, replacingIssuedBy, skipped::add, null);
    }

    private IssuedCertificate obtain(FallbackIssuer issuer, Issuer.Order order) {
        return issuer.obtain(order, new InMemoryChallengeSolver());
    }

    @Test
    void aCaThatCannotBeReachedIsSkippedForTheNextInTheSameAttemptAndTheNextOrderStartsAtTheFirstAgain() {
        atFirst.failures.add(new CertificateAuthorityUnavailableException("Could not reach First", null, null, null));
        FallbackIssuer issuer = issuer();

        obtain(issuer, order(null, null));

        assertThat(atFirst.calls()).isEqualTo(1);
        assertThat(atSecond.issued).isEqualTo(1);
        assertThat(skipped).containsExactly("First was skipped: Could not reach First");

        obtain(issuer, order(null, null));

        assertThat(atFirst.issued).as("the next order asks the first CA again").isEqualTo(1);
        assertThat(atSecond.calls()).isEqualTo(1);
    }

    @Test
    void aRefusedIdentifierMovesOnAndAFailedValidationDoesNot() {
        atFirst.failures.add(new CertificateAuthorityException("First refused the name", REJECTED_IDENTIFIER, null, null));
        obtain(issuer(), order(null, null));
        assertThat(atSecond.issued).isEqualTo(1);

        atFirst.failures.add(new ChallengeFailedException("First", "invalid",
                URI.create("http://fallback.test/.well-known/acme-challenge/token"),
                URI.create("urn:ietf:params:acme:error:unauthorized"), "404 Not Found"));
        assertThatThrownBy(() -> obtain(issuer(), order(null, null))).isInstanceOf(ChallengeFailedException.class);
        assertThat(atSecond.calls()).as("another CA would validate the same way").isEqualTo(1);
    }

    @Test
    void aRateLimitMovesOnOnlyWhenItLastsBeyondTheNextCheck() {
        IssuedCertificate current = TestCertificates.issued("fallback.test", clock.instant(), Duration.ofDays(90));
        Instant beforeNextCheck = clock.instant().plus(Duration.ofHours(1));
        atFirst.failures.add(new RateLimitedException("First: too many orders", null, beforeNextCheck, null));

        assertThatThrownBy(() -> obtain(issuer(), order(current.leaf(), first.directory())))
                .isInstanceOf(RateLimitedException.class);
        assertThat(atSecond.calls()).as("the next daily check may order at the first again").isZero();

        Instant afterNextCheck = clock.instant().plus(Duration.ofDays(3));
        atFirst.failures.add(new RateLimitedException("First: too many orders", null, afterNextCheck, null));
        obtain(issuer(), order(current.leaf(), first.directory()));
        assertThat(atSecond.issued).isEqualTo(1);
    }

    @Test
    void forASixDayCertificateTheNextCheckIsHoursAwaySoALongerRateLimitMovesOn() {
        IssuedCertificate sixDays = TestCertificates.issued("fallback.test", clock.instant(), Duration.ofDays(6));
        atFirst.failures.add(new RateLimitedException("First: too many orders", null,
                clock.instant().plus(Duration.ofHours(10)), null));

        obtain(issuer(), order(sixDays.leaf(), first.directory()));

        assertThat(atSecond.issued).as("looked at again within six hours, before the limit lifts").isEqualTo(1);
    }

    @Test
    void onlyTheCaThatIssuedTheReplacedCertificateIsToldWhichOneTheNewOneReplaces() {
        IssuedCertificate current = TestCertificates.issued("fallback.test", clock.instant(), Duration.ofDays(90));
        atFirst.failures.add(new CertificateAuthorityUnavailableException("First is down", null, null, null));

        obtain(issuer(), order(current.leaf(), second.directory()));

        assertThat(atFirst.orders.get(0).replacing()).as("First did not issue it").isNull();
        assertThat(atSecond.orders.get(0).replacing()).isEqualTo(current.leaf());
    }

    @Test
    void whenEveryCaFailsTheLastFailureIsThrownAndTheSkippedOnesAreStillReported() {
        atFirst.failures.add(new CertificateAuthorityUnavailableException("First is down", null, null, null));
        atSecond.failures.add(new CertificateAuthorityUnavailableException("Second is down", null, null, null));

        assertThatThrownBy(() -> obtain(issuer(), order(null, null))).hasMessage("Second is down");
        assertThat(skipped).containsExactly("First was skipped: First is down");
    }

    @Test
    void aCaWhosePolicyNeverMovesOnKeepsItsFailure() {
        atFirst.failures.add(new CertificateAuthorityUnavailableException("First is down", null, null, null));

        assertThatThrownBy(() -> obtain(issuer(first.withFallbackPolicy(FallbackPolicy.never())), order(null, null)))
                .hasMessage("First is down");
        assertThat(atSecond.calls()).isZero();
    }

    @Test
    void renewalInformationAndRevocationGoToTheCaThatIssuedTheCertificate() {
        IssuedCertificate fromSecond = TestCertificates.issued("fallback.test", clock.instant(), Duration.ofDays(90));
        fromSecond = new IssuedCertificate(fromSecond.chain(), fromSecond.privateKey(),
                fromSecond.metadata().toBuilder().caDirectory(second.directory()).build());
        X509Certificate leaf = fromSecond.leaf();
        FallbackIssuer issuer = issuer();

        issuer.renewalAdvice(second.directory(), () -> leaf);
        issuer.revoke(fromSecond, RevocationReason.SUPERSEDED);

        assertThat(atFirst.adviceAskedAt).isEmpty();
        assertThat(atSecond.adviceAskedAt).hasSize(1);
        assertThat(atFirst.revoked).isEmpty();
        assertThat(atSecond.revoked).hasSize(1);
        assertThat(issuer.renewalAdvice(URI.create("https://gone.test/dir"), () -> leaf))
                .as("a CA no longer configured is asked nothing").isEqualTo(Optional.empty());
    }

    @Test
    void theStandardPolicyMovesOnForAnUnavailableCaARefusedNameAndALongRateLimitOnly() {
        FallbackPolicy policy = FallbackPolicy.standard();
        Instant nextCheck = clock.instant().plus(Duration.ofDays(1));

        assertThat(policy.tryNext(first, new CertificateAuthorityUnavailableException("down", null, null, null), nextCheck)).isTrue();
        assertThat(policy.tryNext(first, new CertificateAuthorityException("refused", REJECTED_IDENTIFIER, null, null), nextCheck)).isTrue();
        assertThat(policy.tryNext(first, new RateLimitedException("limited", null, null, null), nextCheck)).isTrue();
        assertThat(policy.tryNext(first, new RateLimitedException("limited", null, nextCheck.minusSeconds(1), null), nextCheck)).isFalse();
        assertThat(policy.tryNext(first, new CertificateAuthorityException("badCSR", URI.create("urn:ietf:params:acme:error:badCSR"), null, null), nextCheck)).isFalse();
        assertThat(policy.tryNext(first, new AutoCertException("store failed"), nextCheck)).isFalse();
    }
}
