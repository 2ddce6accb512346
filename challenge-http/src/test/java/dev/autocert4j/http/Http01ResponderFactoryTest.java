package dev.autocert4j.http;

import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.ChallengeResponderFactory;
import dev.autocert4j.spi.NamedPlugins;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTP-01 chosen by its name. */
class Http01ResponderFactoryTest {

    @Test
    void isFoundByItsNameAndMakesAResponderThatAnswersWhatItPublished() {
        ChallengeResponderFactory factory = NamedPlugins.find(ChallengeResponderFactory.class, "http-01",
                getClass().getClassLoader());
        ChallengeResponder responder = NamedPlugins.create(ChallengeResponderFactory.class, "http-01", Map.of(),
                getClass().getClassLoader());

        responder.publish("portal.example.com", "token-1", "token-1.thumbprint");

        assertThat(factory.challengeType()).isEqualTo(ChallengeType.HTTP_01);
        assertThat(responder).isInstanceOf(Http01Responder.class);
        assertThat(((Http01Responder) responder).answer("GET", "/.well-known/acme-challenge/token-1", "portal.example.com"))
                .contains("token-1.thumbprint");
    }

    @Test
    void itReadsNoSettings() {
        assertThatThrownBy(() -> NamedPlugins.create(ChallengeResponderFactory.class, "http-01", Map.of("port", "80"),
                getClass().getClassLoader())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("port").hasMessageContaining("it reads none");
    }
}
