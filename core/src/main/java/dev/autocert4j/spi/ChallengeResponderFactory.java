package dev.autocert4j.spi;

import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.ChallengeType;

/**
 * Makes a {@link ChallengeResponder} chosen by name, such as {@code http-01}.
 *
 * @since 0.2.0
 */
public interface ChallengeResponderFactory extends PluginFactory<ChallengeResponder> {

    /** @return the challenge type the responders it makes answer */
    ChallengeType challengeType();
}
