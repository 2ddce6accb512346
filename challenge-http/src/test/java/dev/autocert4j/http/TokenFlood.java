package dev.autocert4j.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An attacker asking a challenge port for made-up tokens at a steady rate, from several loopback
 * addresses (127.0.0.2 and up), whether or not earlier requests were answered. It is bounded: it
 * stops by itself after {@code maxRequests} or {@code maxDuration}, whichever comes first.
 */
final class TokenFlood implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final InetSocketAddress target;
    private final int addresses;
    private final int maxRequests;
    private final ScheduledExecutorService clock;
    private final ThreadPoolExecutor senders;
    private final AtomicInteger scheduled = new AtomicInteger();
    private final AtomicInteger answered404 = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final int perSecond;
    private final long startedAt = System.nanoTime();

    private TokenFlood(InetSocketAddress target, int perSecond, int addresses, int maxRequests, Duration maxDuration) {
        this.target = target;
        this.addresses = addresses;
        this.maxRequests = maxRequests;
        this.perSecond = perSecond;
        AtomicInteger threads = new AtomicInteger();
        this.senders = new ThreadPoolExecutor(64, 64, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(256),
                runnable -> daemon(runnable, "token-flood-" + threads.incrementAndGet()));
        this.clock = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "token-flood-clock"));
        clock.scheduleAtFixedRate(this::sendOne, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        clock.schedule(this::close, maxDuration.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @param target      the challenge port
     * @param perSecond   requests started a second
     * @param addresses   how many source addresses to spread them over (127.0.0.2 and up)
     * @param maxRequests stops after this many
     * @param maxDuration stops after this long
     * @return the running flood
     */
    static TokenFlood start(InetSocketAddress target, int perSecond, int addresses, int maxRequests, Duration maxDuration) {
        return new TokenFlood(target, perSecond, addresses, maxRequests, maxDuration);
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private void sendOne() {
        int number = scheduled.incrementAndGet();
        if (number > maxRequests) {
            close();
            return;
        }
        synchronized (this) {
            notifyAll();
        }
        try {
            senders.execute(() -> request(number));
        } catch (RejectedExecutionException e) {
            dropped.incrementAndGet(); // the attacker's own backlog is full
        }
    }

    private void request(int number) {
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        String path = Http01Responder.PATH_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (2 + number % addresses)), 0));
            socket.connect(target, 5_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: flood.example.com\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            (response.startsWith("HTTP/1.1 404") ? answered404 : failed).incrementAndGet();
        } catch (IOException e) {
            failed.incrementAndGet();
        }
    }

    /**
     * Waits until a second's worth of requests has been started.
     *
     * @param timeout how long to wait at most
     * @return whether they were
     */
    boolean awaitFirstSecond(Duration timeout) throws InterruptedException {
        return awaitStarted(perSecond, timeout);
    }

    /**
     * Waits until {@code count} requests have been started.
     *
     * @param count   how many
     * @param timeout how long to wait at most
     * @return whether they were
     */
    synchronized boolean awaitStarted(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (scheduled.get() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** @return requests that got their 404 */
    int answered404() {
        return answered404.get();
    }

    /** @return requests refused, reset or timed out */
    int failed() {
        return failed.get();
    }

    /** @return requests started so far */
    int sent() {
        return Math.min(scheduled.get(), maxRequests) - dropped.get();
    }

    /** @return what the flood did, for test output */
    String summary() {
        double seconds = (System.nanoTime() - startedAt) / 1e9;
        return String.format("%d requests in %.1f s (%.0f/s) from %d addresses: %d answered 404, %d refused or failed,"
                + " %d not sent", sent(), seconds, sent() / seconds, addresses, answered404(), failed(), dropped.get());
    }

    /** Stops starting requests; those under way finish. Idempotent. */
    @Override
    public void close() {
        clock.shutdown();
        senders.shutdown();
    }

    /**
     * Waits for the requests under way to finish.
     *
     * @param timeout how long to wait at most
     * @return whether they finished
     */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        close();
        return senders.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
