package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.Binding;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.KeyType;
import dev.autocert4j.spi.ChallengeSolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The issuer step: turns an enrollment into an order, picks the solver for its challenge and
 * obtains the certificate from the issuer, never more at once than the configured limit, whoever asks.
 */
final class Issuance {

    private static final Logger LOG = LoggerFactory.getLogger(Issuance.class);

    private final Issuer issuer;
    private final Map<ChallengeType, ChallengeSolver> solvers;
    /** Permits to obtain a certificate: at most the configured number at once, whoever asks. */
    private final Semaphore issuing;
    private final KeyType defaultKeyType;
    private final String defaultProfile;

    /**
     * @param issuer             obtains certificates
     * @param solvers            answer the challenges, by type
     * @param concurrentIssuance how many certificates are obtained at once, at most
     * @param defaultKeyType     the key type where an enrollment chose none
     * @param defaultProfile     the ACME profile where an enrollment chose none, or {@code null}
     */
    Issuance(Issuer issuer, Map<ChallengeType, ChallengeSolver> solvers, int concurrentIssuance,
             KeyType defaultKeyType, String defaultProfile) {
        this.issuer = issuer;
        this.solvers = Map.copyOf(solvers);
        this.issuing = new Semaphore(concurrentIssuance, true);
        this.defaultKeyType = defaultKeyType;
        this.defaultProfile = defaultProfile;
    }

    /** @return whether a solver answers challenges of this type */
    boolean answers(ChallengeType type) {
        return solvers.containsKey(type);
    }

    /**
     * Obtains a certificate for the enrollment once fewer than the limit of others are being obtained;
     * the certificate of an order an earlier attempt left pending is taken first, where the CA issued it.
     *
     * @param replacing     the certificate the new one replaces, or {@code null}
     * @param beforeIssuing run just before the CA is asked to issue (the cluster lease is confirmed there)
     */
    IssuedCertificate obtain(EnrollmentRequest request, X509Certificate replacing, Runnable beforeIssuing) {
        return obtain(request, replacing, null, beforeIssuing, null, null);
    }

    /**
     * Obtains a certificate, as {@link #obtain(EnrollmentRequest, X509Certificate, Runnable)}, from
     * the first CA of the list that issues it.
     *
     * @param replacingIssuedBy the directory of the CA that issued {@code replacing}, or {@code null}
     * @param skipped           told why each CA was passed over, or {@code null}
     * @param warned            told what the admin should know about the issued certificate, or {@code null}
     */
    IssuedCertificate obtain(EnrollmentRequest request, X509Certificate replacing, URI replacingIssuedBy,
                             Runnable beforeIssuing, Consumer<String> skipped, Consumer<String> warned) {
        Issuer.Order order = orderFor(request, replacing, beforeIssuing, replacingIssuedBy, skipped, warned);
        ChallengeSolver solver = solverFor(request.challengeType());
        try {
            issuing.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AutoCertException("Interrupted while waiting to order a certificate for " + order.domain(), e);
        }
        try {
            return issuer.resume(order).orElseGet(() -> issuer.obtain(order, solver));
        } finally {
            issuing.release();
        }
    }

    /** The CA's renewal information for a certificate, where it offers it; see {@link Issuer#renewalAdvice}. */
    Optional<Issuer.RenewalAdvice> renewalAdvice(URI issuedBy, Supplier<X509Certificate> certificate) {
        return issuer.renewalAdvice(issuedBy, certificate);
    }

    private ChallengeSolver solverFor(ChallengeType type) {
        ChallengeSolver solver = solvers.get(type);
        if (solver == null) {
            throw new InvalidInputException("challenge", type.acmeName(), "has no solver: give one with"
                    + " AutoCert.Builder.challengeSolver(...)");
        }
        return solver;
    }

    private Issuer.Order orderFor(EnrollmentRequest request, X509Certificate replacing, Runnable beforeIssuing,
                                  URI replacingIssuedBy, Consumer<String> skipped, Consumer<String> warned) {
        Issuer.Registration registration = registrationOf(request);
        return new Issuer.Order(request.domain(), request.names(), request.challengeType(), registration,
                request.keyType().orElse(defaultKeyType), request.profile().orElse(defaultProfile), replacing,
                beforeIssuing, replacingIssuedBy, skipped, warned);
    }

    /**
     * The account the request asks to register where none is yet: its email, consent and EAB, the
     * deprecated way; {@code null} where it carries none. The account set on the builder wins over it.
     */
    @SuppressWarnings("deprecation")
    private static Issuer.Registration registrationOf(EnrollmentRequest request) {
        if (request.email() == null && request.externalAccountKeyId().isEmpty()) {
            return null;
        }
        return new Issuer.Registration(request.email() == null ? List.of() : List.of(request.email()), null, true,
                request.externalAccountKeyId().orElse(null), request.externalAccountHmacKey().orElse(null),
                KeyType.EC_P256);
    }

    /** Warns where an HTTP-01 enrollment's binding is not what the CA reaches: plain HTTP on port 80. */
    static void warnIfTheCaValidatesElsewhere(EnrollmentRequest request) {
        if (request.challengeType() != ChallengeType.HTTP_01) {
            return;
        }
        Binding binding = request.binding();
        if (binding.isHttps()) {
            LOG.warn("The CA validates {} over HTTP-01 on port 80, and the binding {} is HTTPS: a plain HTTP listener"
                    + " on port 80 must serve the challenge responder for this name, or validation fails",
                    request.domain(), binding);
        } else if (binding.port() != 80) {
            LOG.warn("The CA validates {} over HTTP-01 on port 80, but the binding {} listens on port {}: port 80 of {}"
                    + " must reach this listener (port forwarding, a load balancer or a reverse proxy), or validation"
                    + " fails", request.domain(), binding, binding.port(), request.domain());
        }
    }
}
