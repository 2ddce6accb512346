package dev.autocert4j.tls;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.PendingChallenge;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * Answers TLS-ALPN-01 on a {@link TlsAlpn01Listener} of its own, listening only while a challenge
 * is pending: the first challenge presented starts it, the last one cleaned up stops it. For hosts
 * whose HTTPS port is free while certificates are obtained (a host serving HTTPS on that port gives
 * its own {@link SniKeyManager#tlsAlpn01Responder()} instead).
 */
final class ListeningTlsAlpnSolver implements ChallengeSolver {

    private final SniKeyManager keys = new SniKeyManager();
    private final ChallengeSolver validations = keys.tlsAlpn01Responder();
    private final InetSocketAddress address;
    /** The tokens presented and not cleaned up yet; the listener runs while there is one. */
    private final Set<String> pending = new HashSet<>();
    private TlsAlpn01Listener listener;

    ListeningTlsAlpnSolver(InetSocketAddress address) {
        this.address = address;
    }

    @Override
    public ChallengeType type() {
        return ChallengeType.TLS_ALPN_01;
    }

    @Override
    public synchronized void present(PendingChallenge challenge) {
        validations.present(challenge);
        pending.add(challenge.token());
        if (listener == null) {
            try {
                listener = TlsAlpn01Listener.start(keys, address);
            } catch (IOException e) {
                throw new AutoCertException("Cannot listen on " + describe() + " to answer TLS-ALPN-01 for "
                        + challenge.identifier() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public synchronized void cleanUp(PendingChallenge challenge) {
        validations.cleanUp(challenge);
        if (pending.remove(challenge.token()) && pending.isEmpty() && listener != null) {
            listener.close();
            listener = null;
        }
    }

    /** @return the port it listens on now, or -1 while no challenge is pending */
    synchronized int listeningPort() {
        return listener == null ? -1 : listener.port();
    }

    private String describe() {
        return address.getHostString() + ":" + address.getPort();
    }

    @Override
    public String toString() {
        return "ListeningTlsAlpnSolver[" + describe() + "]";
    }
}
