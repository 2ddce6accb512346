package dev.autocert4j.internal;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.ChallengeSelfCheck;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.SelfCheckReport;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.PendingChallenge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Chooses a challenge type by trying each the way the CA would, before the CA is asked: HTTP-01
 * (a test token fetched on port 80), then TLS-ALPN-01 (a test validation handshake on port 443),
 * then DNS-01 if a DNS-01 solver is configured (nothing to try without publishing a record).
 */
public final class ChallengeChooser {

    private static final Logger LOG = LoggerFactory.getLogger(ChallengeChooser.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<ChallengeType, ChallengeSolver> solvers;
    private final ChallengeSelfCheck selfCheck;
    private final NameRule nameRule;

    /** Which names a challenge type can validate; the API's input checks, handed in by the facade. */
    @FunctionalInterface
    public interface NameRule {
        /**
         * @param name a name the certificate is to cover
         * @param type a challenge type
         * @return the name, normalised
         * @throws InvalidInputException saying why the type cannot validate it
         */
        String requireCertifiable(String name, ChallengeType type);
    }

    /**
     * @param solvers   what answers each challenge type
     * @param selfCheck how to try HTTP-01 and TLS-ALPN-01 (ports, resolver, timeouts)
     * @param nameRule  which names each challenge type can validate
     */
    public ChallengeChooser(Map<ChallengeType, ChallengeSolver> solvers, ChallengeSelfCheck selfCheck,
                            NameRule nameRule) {
        this.solvers = Map.copyOf(solvers);
        this.selfCheck = selfCheck;
        this.nameRule = nameRule;
    }

    /**
     * @param names the names the certificate is to cover
     * @return the first challenge type that works for all of them
     * @throws AutoCertException saying, in one message, what was tried and why each failed
     */
    public ChallengeType choose(Collection<String> names) {
        List<String> failures = new ArrayList<>();
        for (ChallengeType type : ChallengeType.values()) {
            String problem = problemWith(type, names);
            if (problem == null) {
                LOG.info("Chose {} for {}", type.acmeName(), names);
                return type;
            }
            failures.add(type.acmeName() + ": " + problem);
        }
        throw new AutoCertException("No challenge type works for " + names + " here. " + String.join(" ", failures), null);
    }

    private String problemWith(ChallengeType type, Collection<String> names) {
        ChallengeSolver solver = solvers.get(type);
        if (solver == null) {
            return type == ChallengeType.DNS_01 ? "no DNS provider is configured." : "no solver is configured.";
        }
        List<String> checked = new ArrayList<>();
        for (String name : names) {
            try {
                checked.add(nameRule.requireCertifiable(name, type));
            } catch (InvalidInputException e) {
                return e.getMessage() + ".";
            }
        }
        if (type == ChallengeType.DNS_01) {
            return null; // tried at the first order: a record cannot be checked without putting it in the zone
        }
        for (String name : checked) {
            String problem = trial(type, solver, name);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** Presents a test challenge, checks it as the CA would, cleans it up. */
    private String trial(ChallengeType type, ChallengeSolver solver, String name) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String token = "preflight-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String keyAuthorization = token + ".autocert4j-preflight";
        PendingChallenge trial = PendingChallenge.of(type, name, token, keyAuthorization);
        try {
            solver.present(trial);
            SelfCheckReport report = type == ChallengeType.HTTP_01 ? selfCheck.check(name, token, keyAuthorization)
                    : selfCheck.checkTlsAlpn(name, keyAuthorization);
            return report.passed() ? null : report.summary().replace('\n', ' ');
        } finally {
            solver.cleanUp(trial);
        }
    }
}
