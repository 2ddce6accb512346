package dev.autocert4j.tls;

import dev.autocert4j.OnDemandCertificates;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a handshake for a name nothing is served for waits for its on-demand certificate: on the
 * future of the one attempt per name, never by sleeping, and at most the wait in all, however many
 * times the TLS stack asks for an alias during the handshake (once per key type it could use).
 */
final class HandshakeWaits {

    /** What a handshake's wait came to. */
    enum Outcome { OBTAINED, REFUSED, STILL_PENDING }

    private final OnDemandCertificates source;
    private final long waitNanos;
    /**
     * The deadline of the handshake this thread is choosing for: the TLS stack asks once per key type,
     * one call after the other on the same thread, with the same session object (compared by identity:
     * sessions' own equality is by session id, which handshakes may share when it is empty).
     */
    private final ThreadLocal<Deadline> current = new ThreadLocal<>();

    private record Deadline(WeakReference<Object> handshake, long nanos) {
    }

    HandshakeWaits(OnDemandCertificates source, Duration wait) {
        this.source = source;
        this.waitNanos = wait.toNanos();
    }

    /**
     * @param name      the SNI name
     * @param handshake the handshake's session (the same object at each call within one handshake), or null
     */
    Outcome await(String name, Object handshake) {
        CompletableFuture<Boolean> attempt = source.request(name);
        long now = System.nanoTime();
        long deadline = deadlineOf(handshake, now);
        try {
            return attempt.get(Math.max(0, deadline - now), TimeUnit.NANOSECONDS) ? Outcome.OBTAINED : Outcome.REFUSED;
        } catch (TimeoutException e) {
            return Outcome.STILL_PENDING;
        } catch (ExecutionException e) {
            return Outcome.REFUSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.STILL_PENDING;
        }
    }

    private long deadlineOf(Object handshake, long now) {
        if (handshake == null) {
            return now + waitNanos;
        }
        Deadline known = current.get();
        if (known != null && known.handshake().get() == handshake) {
            return known.nanos();
        }
        current.set(new Deadline(new WeakReference<>(handshake), now + waitNanos));
        return now + waitNanos;
    }
}
