package dev.autocert4j.internal;

import dev.autocert4j.Binding;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.RegisteredAccount;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.RenewalPolicy;
import dev.autocert4j.testkit.InMemoryChallengeSolver;
import dev.autocert4j.testkit.MutableClock;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With several CAs, the order an earlier attempt left pending at the second CA is taken up there
 * before the first CA is asked for a new one: no second certificate from the first CA.
 */
class FallbackIssuerResumeTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final FakeIssuer atFirst = new FakeIssuer(clock);
    private final FakeIssuer atSecond = new FakeIssuer(clock);
    private final IssuedCertificate recovered = TestCertificates.issued("fallback.test");

    /** The second CA holds a recorded order whose certificate it issued. */
    private final Issuer secondHoldingAnOrder = new Issuer() {
        @Override
        public Optional<IssuedCertificate> resume(Order order) {
            return Optional.of(recovered);
        }

        @Override
        public IssuedCertificate obtain(Order order, ChallengeSolver solver) {
            return atSecond.obtain(order, solver);
        }

        @Override
        public Optional<RenewalAdvice> renewalAdvice(Supplier<X509Certificate> c) {
            return Optional.empty();
        }

        @Override
        public Optional<RegisteredAccount> registeredAccount() {
            return Optional.empty();
        }

        @Override
        public RegisteredAccount register(Registration registration) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void updateAccountEmail(String email) {
        }

        @Override
        public URI rolloverAccountKey() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void revoke(IssuedCertificate certificate, RevocationReason reason) {
        }
    };

    @Test
    void anOrderPendingAtTheSecondCaIsTakenThereBeforeTheFirstCaIsAskedForANewOne() {
        FallbackIssuer issuer = new FallbackIssuer(List.of(
                new FallbackIssuer.Candidate(CertificateAuthority.at(URI.create("https://first.test/dir")), atFirst),
                new FallbackIssuer.Candidate(CertificateAuthority.at(URI.create("https://second.test/dir")),
                        secondHoldingAnOrder)), RenewalPolicy.standard(), clock);
        Issuance issuance = new Issuance(issuer, Map.of(ChallengeType.HTTP_01, new InMemoryChallengeSolver()), 1,
                KeyType.EC_P256, null);

        IssuedCertificate issued = issuance.obtain(EnrollmentRequest.builder()
                .binding(Binding.parse("http://fallback.test:80")).httpsPort(8443).build(), null, null);

        assertThat(issued).isSameAs(recovered);
        assertThat(atFirst.calls()).as("no new order at the first CA").isZero();
        assertThat(atSecond.calls()).isZero();
    }
}
