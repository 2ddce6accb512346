package dev.autocert4j.http;

import dev.autocert4j.ChallengeType;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.ChallengeSolverFactory;
import dev.autocert4j.spi.PluginSettings;

import java.util.Set;

/**
 * HTTP-01 by the name {@code http-01}: makes an {@link Http01Responder}, which the host then mounts
 * on its port 80 (its handler, or an {@link Http01Listener}). It reads no settings.
 *
 * @since 0.2.0
 */
public final class Http01ResponderFactory implements ChallengeSolverFactory {

    /** The name it is chosen by. */
    public static final String NAME = "http-01";

    /** For {@link java.util.ServiceLoader}. */
    public Http01ResponderFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChallengeType challengeType() {
        return ChallengeType.HTTP_01;
    }

    @Override
    public Set<String> settings() {
        return Set.of();
    }

    @Override
    public ChallengeSolver create(PluginSettings settings) {
        return new Http01Responder();
    }
}
