package dev.autocert4j.internal.acme;

import dev.autocert4j.CertificateAuthority;
import dev.autocert4j.CertificateAuthorityException;
import dev.autocert4j.ChallengeFailedException;
import dev.autocert4j.ChallengeSelfCheck;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.SelfCheckFailedException;
import dev.autocert4j.SelfCheckReport;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.PendingChallenge;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.challenge.TokenChallenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Proves control of one name of an order: presents the challenge through the solver, waits until
 * it is ready, self-checks it where asked, has the CA validate it, and cleans it up whatever happened.
 */
final class Authorizer {

    private static final Logger LOG = LoggerFactory.getLogger(Authorizer.class);

    private final CertificateAuthority ca;
    private final Poller poller;
    private final ChallengeSelfCheck selfCheck;
    private final Duration readyTimeout;

    /**
     * @param selfCheck    the check of the challenge URL before the CA is asked, or {@code null} for none
     * @param readyTimeout how long a solver may wait until its answer is ready
     */
    Authorizer(CertificateAuthority ca, Poller poller, ChallengeSelfCheck selfCheck, Duration readyTimeout) {
        this.ca = ca;
        this.poller = poller;
        this.selfCheck = selfCheck;
        this.readyTimeout = readyTimeout;
    }

    void authorize(Authorization authorization, ChallengeType type, ChallengeSolver solver)
            throws AcmeException, InterruptedException {
        if (authorization.getStatus() == Status.VALID) {
            return;
        }
        String name = nameOf(authorization);
        TokenChallenge challenge = findChallenge(authorization, type)
                .orElseThrow(() -> new CertificateAuthorityException(ca.name() + " offers no " + type.acmeName()
                        + " challenge for " + name + "; choose another challenge type for this enrollment", null, null, null));
        String keyAuthorization = challenge.getAuthorization();
        String token = keyAuthorization.substring(0, keyAuthorization.indexOf('.')); // token.thumbprint, RFC 8555 8.1
        PendingChallenge pending = PendingChallenge.of(type, name, token, keyAuthorization);
        try {
            solver.present(pending);
            solver.awaitReady(pending, readyTimeout);
            if (type == ChallengeType.HTTP_01) {
                selfCheck(name, token, keyAuthorization);
            }
            challenge.trigger();
            Status status = poller.awaitJustAnswered(challenge::fetch, challenge::getStatus, Set.of(Status.VALID, Status.INVALID),
                    "The " + type.acmeName() + " challenge for " + name);
            if (status != Status.VALID) {
                throw challengeFailed(type, name, token, status, challenge.getError().orElse(null));
            }
            LOG.info("{} validated {} over {}", ca.name(), name, type.acmeName().toUpperCase(Locale.ROOT));
        } finally {
            cleanUp(solver, pending);
        }
    }

    /** Cleans up without hiding the failure that ended the validation, if one did. */
    private static void cleanUp(ChallengeSolver solver, PendingChallenge pending) {
        try {
            solver.cleanUp(pending);
        } catch (RuntimeException e) {
            LOG.warn("Could not clean up the {}: {}", pending, e.getMessage());
        }
    }

    /** The name being validated: a DNS name ({@code *.}-prefixed for a wildcard) or an IP address. */
    private static String nameOf(Authorization authorization) {
        Identifier identifier = authorization.getIdentifier();
        if (Identifier.TYPE_IP.equals(identifier.getType())) {
            return identifier.getIP().getHostAddress();
        }
        return (authorization.isWildcard() ? "*." : "") + identifier.getDomain();
    }

    private static Optional<TokenChallenge> findChallenge(Authorization authorization, ChallengeType type) {
        return switch (type) {
            case HTTP_01 -> authorization.findChallenge(Http01Challenge.class).map(TokenChallenge.class::cast);
            case TLS_ALPN_01 -> authorization.findChallenge(TlsAlpn01Challenge.class).map(TokenChallenge.class::cast);
            case DNS_01 -> authorization.findChallenge(Dns01Challenge.class).map(TokenChallenge.class::cast);
        };
    }

    /** Fetches the challenge as the CA will, where the host asked for it, before the CA is asked. */
    private void selfCheck(String domain, String token, String keyAuthorization) {
        if (selfCheck == null) {
            return;
        }
        SelfCheckReport report = selfCheck.check(domain, token, keyAuthorization);
        if (report.passed()) {
            LOG.info("{}", report.summary());
        } else if (selfCheck.abortsOnFailure()) {
            throw new SelfCheckFailedException(report); // logged once, with the failure, by the caller
        } else {
            LOG.warn("{}", report.summary());
        }
    }

    private ChallengeFailedException challengeFailed(ChallengeType type, String name, String token, Status status,
                                                     Problem problem) {
        return new ChallengeFailedException(ca.name(), type, status.name().toLowerCase(Locale.ROOT),
                ChallengeFailedException.urlOf(type, name, token), problem == null ? null : problem.getType(),
                problem == null ? null : AcmeFailures.detail(problem));
    }
}
