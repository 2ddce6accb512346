package dev.autocert4j.tls;

import dev.autocert4j.ChallengeType;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.ChallengeSolverFactory;
import dev.autocert4j.spi.PluginSettings;

import java.net.InetSocketAddress;
import java.util.Set;

/**
 * TLS-ALPN-01 by the name {@code tls-alpn-01}: makes a solver that answers on a
 * {@link TlsAlpn01Listener} of its own, started when a challenge is presented and stopped when
 * the last one is cleaned up. Setting: {@code listen} ({@code HOST:PORT}; all interfaces, port 443,
 * by default). The port must be free while certificates are obtained: a host that serves HTTPS on
 * it gives its key manager's {@link SniKeyManager#tlsAlpn01Responder()} to the builder instead.
 *
 * @since 0.2.0
 */
public final class TlsAlpn01SolverFactory implements ChallengeSolverFactory {

    /** The name it is chosen by. */
    public static final String NAME = "tls-alpn-01";
    /** The port the CA validates TLS-ALPN-01 on. */
    private static final int HTTPS_PORT = 443;

    /** For {@link java.util.ServiceLoader}. */
    public TlsAlpn01SolverFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChallengeType challengeType() {
        return ChallengeType.TLS_ALPN_01;
    }

    @Override
    public Set<String> settings() {
        return Set.of("listen");
    }

    @Override
    public ChallengeSolver create(PluginSettings settings) {
        InetSocketAddress address = settings.address("listen")
                .map(unresolved -> new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()))
                .orElseGet(() -> new InetSocketAddress(HTTPS_PORT));
        return new ListeningTlsAlpnSolver(address);
    }
}
