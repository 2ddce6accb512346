package dev.autocert4j.spi;

import dev.autocert4j.ChallengeType;

/**
 * Makes a {@link ChallengeSolver} chosen by name, such as {@code http-01} or {@code rfc2136}.
 *
 * @since 0.2.0
 */
public interface ChallengeSolverFactory extends PluginFactory<ChallengeSolver> {

    /** @return the challenge type the solvers it makes answer */
    ChallengeType challengeType();
}
