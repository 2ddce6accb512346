package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.FallbackPolicy;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.RegisteredAccount;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.RenewalPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Several CAs in order, as one issuer: every order starts at the first CA, and moves on to the
 * next where the failed CA's {@link FallbackPolicy} says so (the CA down, rate-limiting, refusing a name); the
 * CAs passed over are reported to the order, whether a later one issued or failed too. Only the CA that issued a certificate is told that
 * a new one replaces it, and asked for its renewal information, and asked to revoke it. The account
 * is managed at the first CA; the others register theirs with their first order.
 */
public final class FallbackIssuer implements Issuer {

    private static final Logger LOG = LoggerFactory.getLogger(FallbackIssuer.class);

    /**
     * One CA of the list and the issuer talking to it.
     *
     * @param ca     the certificate authority
     * @param issuer obtains certificates from it
     */
    public record Candidate(CertificateAuthority ca, Issuer issuer) {
        /**
         * Checks both are present.
         *
         * @param ca     the certificate authority
         * @param issuer obtains certificates from it
         */
        public Candidate {
            Objects.requireNonNull(ca, "ca");
            Objects.requireNonNull(issuer, "issuer");
        }
    }

    private final List<Candidate> candidates;
    private final RenewalPolicy renewalPolicy;
    private final Clock clock;

    /**
     * @param candidates    the CAs, first tried first; at least one
     * @param renewalPolicy says when a replaced certificate would be checked again
     * @param clock         the time source
     */
    public FallbackIssuer(List<Candidate> candidates, RenewalPolicy renewalPolicy, Clock clock) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no certificate authority");
        }
        this.candidates = List.copyOf(candidates);
        this.renewalPolicy = Objects.requireNonNull(renewalPolicy, "renewalPolicy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return the issuer of the first CA, where the account is registered and managed */
    private Issuer first() {
        return candidates.get(0).issuer();
    }

    @Override
    public IssuedCertificate obtain(Order order, ChallengeSolver solver) {
        List<String> passedOver = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            try {
                IssuedCertificate issued = candidate.issuer().obtain(orderFor(candidate.ca(), order), solver);
                passedOver.forEach(order.skipped());
                return issued;
            } catch (AutoCertException e) {
                boolean last = i == candidates.size() - 1;
                if (last || !candidate.ca().fallbackPolicy().tryNext(candidate.ca(), e, nextCheck(order))) {
                    passedOver.forEach(order.skipped());
                    throw e; // the last CA's own failure, its kind and Retry-After kept for the back-off
                }
                String note = candidate.ca().name() + " was skipped: " + e.getMessage();
                LOG.warn("{}; trying {} for {}", note, candidates.get(i + 1).ca().name(), order.domain());
                passedOver.add(note);
            }
        }
        throw new IllegalStateException("unreachable: the last CA's failure is thrown");
    }

    /** Each CA takes up its own recorded order; the first that holds one decides. */
    @Override
    public Optional<IssuedCertificate> resume(Order order) {
        for (Candidate candidate : candidates) {
            Optional<IssuedCertificate> resumed = candidate.issuer().resume(order);
            if (resumed.isPresent()) {
                return resumed;
            }
        }
        return Optional.empty();
    }

    /** The order as one CA sees it: {@code replaces} only goes to the CA that issued the replaced certificate. */
    private static Order orderFor(CertificateAuthority ca, Order order) {
        boolean issuedHere = order.replacingIssuedBy() == null || order.replacingIssuedBy().equals(ca.directory());
        return issuedHere ? order : order.replacing(null);
    }

    /** When the certificate being replaced would be looked at again, as the check schedule says; now where there is none. */
    private Instant nextCheck(Order order) {
        Instant now = clock.instant();
        if (order.replacing() == null) {
            return now;
        }
        CertificateMetadata replaced = CertificateMetadata.of(order.domain(), order.replacing(), now, null, null);
        Duration policyInterval = renewalPolicy.checkInterval(replaced);
        Duration lifetimeInterval = CheckSchedule.lifetimeInterval(replaced);
        return now.plus(policyInterval.compareTo(lifetimeInterval) <= 0 ? policyInterval : lifetimeInterval);
    }

    @Override
    public Optional<RenewalAdvice> renewalAdvice(Supplier<X509Certificate> certificate) {
        return first().renewalAdvice(certificate);
    }

    @Override
    public Optional<RenewalAdvice> renewalAdvice(URI issuedBy, Supplier<X509Certificate> certificate) {
        if (issuedBy == null) {
            return first().renewalAdvice(certificate);
        }
        return candidateAt(issuedBy).flatMap(candidate -> candidate.issuer().renewalAdvice(issuedBy, certificate));
    }

    private Optional<Candidate> candidateAt(URI directory) {
        return candidates.stream().filter(candidate -> candidate.ca().directory().equals(directory)).findFirst();
    }

    @Override
    public Optional<RegisteredAccount> registeredAccount() {
        return first().registeredAccount();
    }

    @Override
    public RegisteredAccount register(Registration registration) {
        return first().register(registration);
    }

    @Override
    public void updateAccountEmail(String email) {
        first().updateAccountEmail(email);
    }

    @Override
    public URI rolloverAccountKey() {
        return first().rolloverAccountKey();
    }

    /** Revokes at the CA that issued the certificate; the first CA where it is not known. */
    @Override
    public void revoke(IssuedCertificate certificate, RevocationReason reason) {
        URI issuedBy = certificate.metadata().caDirectory();
        Issuer issuer = issuedBy == null ? first() : candidateAt(issuedBy).map(Candidate::issuer).orElse(first());
        issuer.revoke(certificate, reason);
    }
}
