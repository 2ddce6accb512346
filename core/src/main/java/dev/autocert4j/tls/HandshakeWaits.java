package dev.autocert4j.tls;

import dev.autocert4j.OnDemandCertificates;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
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
    private final Map<Object, Long> deadlines = Collections.synchronizedMap(new WeakHashMap<>());

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
        long deadline = handshake == null ? now + waitNanos : deadlines.computeIfAbsent(handshake, h -> now + waitNanos);
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
}
