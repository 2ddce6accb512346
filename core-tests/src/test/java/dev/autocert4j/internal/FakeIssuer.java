package dev.autocert4j.internal;

import dev.autocert4j.AcmeAccount;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.RegisteredAccount;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.testkit.TestCertificates;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Issues self-signed certificates of a set lifetime at the clock's time, or fails as told; records every call. */
final class FakeIssuer implements Issuer {

    private final Clock clock;
    Duration lifetime = Duration.ofDays(90);
    final Deque<RuntimeException> failures = new ArrayDeque<>();
    final List<Order> orders = new ArrayList<>();
    final List<Instant> adviceAskedAt = new ArrayList<>();
    final List<String> emailUpdates = new ArrayList<>();
    final List<Registration> registrations = new ArrayList<>();
    private RegisteredAccount registered;
    final List<String> revoked = new ArrayList<>();
    Function<X509Certificate, Optional<RenewalAdvice>> renewalAdvice = certificate -> Optional.empty();
    int rollovers;
    /** Certificates issued: orders that got past {@code beforeIssuing}. */
    int issued;

    FakeIssuer(Clock clock) {
        this.clock = clock;
    }

    int calls() {
        return orders.size();
    }

    @Override
    public IssuedCertificate obtain(Order order, ChallengeSolver solver) {
        orders.add(order);
        if (!failures.isEmpty()) {
            throw failures.pop();
        }
        order.beforeIssuing().run();
        issued++;
        return TestCertificates.issued(order.names(), clock.instant(), lifetime);
    }

    @Override
    public Optional<RenewalAdvice> renewalAdvice(Supplier<X509Certificate> certificate) {
        adviceAskedAt.add(clock.instant());
        return renewalAdvice.apply(certificate.get());
    }

    @Override
    public Optional<RegisteredAccount> registeredAccount() {
        return Optional.ofNullable(registered);
    }

    @Override
    public RegisteredAccount register(Registration registration) {
        registrations.add(registration);
        registered = RegisteredAccount.of(new AcmeAccount(URI.create("https://ca.test/dir"), KeyType.EC_P256.generate(),
                URI.create("https://ca.test/acct/1"), registration.emails(), registration.acceptedTermsOfService()));
        return registered;
    }

    @Override
    public void updateAccountEmail(String email) {
        emailUpdates.add(email);
    }

    @Override
    public URI rolloverAccountKey() {
        rollovers++;
        return URI.create("https://ca.test/acct/1");
    }

    @Override
    public void revoke(IssuedCertificate certificate, RevocationReason reason) {
        revoked.add(certificate.metadata().serialNumber() + " " + reason);
    }
}
