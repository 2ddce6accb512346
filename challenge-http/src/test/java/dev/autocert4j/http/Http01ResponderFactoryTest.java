package dev.autocert4j.http;

import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.ChallengeSolverFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.spi.PendingChallenge;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTP-01 chosen by its name. */
class Http01ResponderFactoryTest {

    private static final PendingChallenge CHALLENGE = PendingChallenge.of(ChallengeType.HTTP_01, "portal.example.com",
            "token-1", "token-1.thumbprint");

    @Test
    void isFoundByItsNameAndMakesASolverThatAnswersWhatWasPresentedUntilItIsCleanedUp() {
        ChallengeSolverFactory factory = NamedPlugins.find(ChallengeSolverFactory.class, "http-01",
                getClass().getClassLoader());
        ChallengeSolver solver = NamedPlugins.create(ChallengeSolverFactory.class, "http-01", Map.of(),
                getClass().getClassLoader());

        solver.present(CHALLENGE);

        assertThat(factory.challengeType()).isEqualTo(ChallengeType.HTTP_01);
        assertThat(solver.type()).isEqualTo(ChallengeType.HTTP_01);
        Http01Responder responder = (Http01Responder) solver;
        assertThat(responder.answer("GET", "/.well-known/acme-challenge/token-1", "portal.example.com"))
                .contains("token-1.thumbprint");

        solver.cleanUp(CHALLENGE);

        assertThat(responder.answer("GET", "/.well-known/acme-challenge/token-1", "portal.example.com")).isEmpty();
        assertThat(responder.publishedCount()).isZero();
    }

    @Test
    void cleaningUpAChallengeItNeverPresentedDoesNothing() {
        Http01Responder responder = new Http01Responder();
        responder.present(CHALLENGE);

        responder.cleanUp(PendingChallenge.of(ChallengeType.HTTP_01, "portal.example.com", "token-2", "token-2.thumbprint"));

        assertThat(responder.answer("GET", "/.well-known/acme-challenge/token-1", "portal.example.com"))
                .contains("token-1.thumbprint");
    }

    @Test
    void refusesAChallengeOfAnotherType() {
        Http01Responder responder = new Http01Responder();
        PendingChallenge dns = PendingChallenge.of(ChallengeType.DNS_01, "portal.example.com", "token-1", "token-1.thumbprint");

        assertThatThrownBy(() -> responder.present(dns)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not dns-01");
        assertThat(responder.publishedCount()).isZero();
    }

    @Test
    void itReadsNoSettings() {
        assertThatThrownBy(() -> NamedPlugins.create(ChallengeSolverFactory.class, "http-01", Map.of("port", "80"),
                getClass().getClassLoader())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("port").hasMessageContaining("it reads none");
    }
}
