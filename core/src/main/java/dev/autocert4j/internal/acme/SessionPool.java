package dev.autocert4j.internal.acme;

import dev.autocert4j.CertificateAuthority;
import org.shredzone.acme4j.Session;

import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Sessions with one CA. A conversation borrows one that no other uses until it is given back
 * (acme4j signs one request at a time per session, so concurrent ones never share a nonce).
 */
final class SessionPool {

    private final CertificateAuthority ca;
    private final Duration networkTimeout;
    private final Deque<Session> idle = new ConcurrentLinkedDeque<>();
    private TrustingAcmeProvider trustingProvider;

    SessionPool(CertificateAuthority ca, Duration networkTimeout) {
        this.ca = ca;
        this.networkTimeout = networkTimeout;
    }

    /** @return an idle session, or a new one when none is idle */
    Session borrow() {
        Session session = idle.poll();
        if (session != null) {
            return session;
        }
        Session created = ca.trustStore().isPresent() ? new Session(ca.directory(), trustingProvider())
                : new Session(ca.directory());
        created.networkSettings().setTimeout(networkTimeout);
        return created;
    }

    void giveBack(Session session) {
        idle.push(session);
    }

    /**
     * The provider for a CA with its own trust store, made once: each one builds a TLS context, and
     * sessions sharing it can resume each other's TLS sessions.
     */
    private synchronized TrustingAcmeProvider trustingProvider() {
        if (trustingProvider == null) {
            trustingProvider = new TrustingAcmeProvider(ca.trustStore().orElseThrow());
        }
        return trustingProvider;
    }
}
