package dev.autocert4j.tls;

import dev.autocert4j.CertificateMetadata;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.ChallengeSolverFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.spi.PendingChallenge;
import dev.autocert4j.testkit.Ports;
import dev.autocert4j.testkit.TlsClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS-ALPN-01 chosen by its name: a listener of its own, up only while a challenge is pending. */
class TlsAlpn01SolverFactoryTest {

    private static final String NAME = "alpn.example.com";

    private static PendingChallenge challenge(String token) {
        return PendingChallenge.of(ChallengeType.TLS_ALPN_01, NAME, token, token + ".thumbprint");
    }

    private static boolean listening(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void foundByItsNameItAnswersOnItsOwnListenerOnlyWhileAChallengeIsPending() throws Exception {
        int port = Ports.free();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        ChallengeSolver solver = NamedPlugins.create(ChallengeSolverFactory.class, "tls-alpn-01",
                Map.of("listen", "127.0.0.1:" + port), getClass().getClassLoader());
        PendingChallenge first = challenge("tok-1");
        PendingChallenge second = challenge("tok-2");
        assertThat(solver.type()).isEqualTo(ChallengeType.TLS_ALPN_01);
        assertThat(listening(address)).as("nothing pending: not listening").isFalse();

        solver.present(first);
        solver.present(second);
        X509Certificate validation = TlsClient.create().withApplicationProtocols(SniKeyManager.ACME_TLS_1)
                .handshake(address, NAME).get(0);
        assertThat(CertificateMetadata.subjectAlternativeNames(validation)).containsExactly(NAME);
        assertThat(validation.getCriticalExtensionOIDs()).contains("1.3.6.1.5.5.7.1.31");

        solver.cleanUp(first);
        assertThat(listening(address)).as("one challenge still pending").isTrue();
        solver.cleanUp(challenge("tok-never-presented"));
        solver.cleanUp(second);
        assertThat(listening(address)).as("the last one cleaned up").isFalse();
    }

    @Test
    void aPortInUseIsAClearErrorWhenAChallengeIsPresented() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ChallengeSolver solver = new TlsAlpn01SolverFactory().create(dev.autocert4j.spi.PluginSettings.of("tls-alpn-01",
                    Map.of("listen", "127.0.0.1:" + taken.getLocalPort())));

            assertThatThrownBy(() -> solver.present(challenge("tok-1")))
                    .hasMessageContaining("Cannot listen on 127.0.0.1:" + taken.getLocalPort() + " to answer TLS-ALPN-01 for " + NAME);
            solver.cleanUp(challenge("tok-1"));
        }
    }

    @Test
    void aListenSettingThatIsNotHostAndPortIsRefused() {
        assertThatThrownBy(() -> NamedPlugins.create(ChallengeSolverFactory.class, "tls-alpn-01", Map.of("listen", "443"),
                getClass().getClassLoader())).isInstanceOf(InvalidInputException.class).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> NamedPlugins.create(ChallengeSolverFactory.class, "tls-alpn-01", Map.of("port", "443"),
                getClass().getClassLoader())).isInstanceOf(InvalidInputException.class).hasMessageContaining("port");
    }
}
