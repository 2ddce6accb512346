package dev.autocert4j.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decides which requests for a token this server does not hold may ask the shared store, so that
 * requests for made-up tokens can neither flood the store nor use up the lookups the CA needs.
 * Only misses are charged: the CA asks for tokens that exist.
 * <ul>
 *   <li>an address that has not missed for {@link #CLEAN_AFTER}, as the CA's validators have
 *       not, is always looked up;</li>
 *   <li>misses from all addresses together are held to {@value #MISSES_PER_SECOND} a second;</li>
 *   <li>each address (an IPv6 client by its /64) may miss {@value #ADDRESS_BURST} times at once
 *       and then once a second; beyond that it gets only what the others leave: the allowance
 *       while more than {@value #RESERVE} of it is left, the rest being kept for addresses within
 *       their own limit. It is never refused outright: behind a load balancer every request,
 *       the CA's too, comes from the balancer's address;</li>
 *   <li>whatever the addresses, at most {@value #CEILING_PER_SECOND} lookups a second reach the store.</li>
 * </ul>
 * An attacker keeps a CA that reaches this server directly out only by sending from more than
 * about ten thousand addresses, each asking at most once every ten seconds. Thread-safe; time is
 * read from a nanosecond counter so tests can move it.
 */
final class LookupBudget {

    static final int ADDRESS_BURST = 10;
    static final int MISSES_PER_SECOND = 100;
    static final int RESERVE = MISSES_PER_SECOND / 2;
    static final int CEILING_PER_SECOND = 1_000;
    static final Duration CLEAN_AFTER = Duration.ofSeconds(ADDRESS_BURST);
    static final int MAX_TRACKED_ADDRESSES = 10_000;
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    /** What an address has missed lately: a bucket that refills one miss a second. */
    private static final class Misses {
        final Bucket bucket;
        long lastMiss;

        Misses(long now) {
            bucket = new Bucket(ADDRESS_BURST, 1, now);
            lastMiss = now;
        }
    }

    /** Answers whether a lookup may go ahead, and why not. */
    enum Decision {
        LOOK_UP, ADDRESS_OVER_ITS_LIMIT, FLOOD_FROM_MANY_ADDRESSES, STORE_CEILING
    }

    private final LongSupplier nanoTime;
    private final Map<InetAddress, Misses> addresses = new HashMap<>();
    private final Bucket misses;
    private final Bucket ceiling;

    LookupBudget(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        long now = nanoTime.getAsLong();
        this.misses = new Bucket(MISSES_PER_SECOND, MISSES_PER_SECOND, now);
        this.ceiling = new Bucket(CEILING_PER_SECOND, CEILING_PER_SECOND, now);
    }

    /**
     * @param client the requester, or {@code null} if the server could not say (then only the
     *               shared allowance applies)
     * @return whether its lookup may reach the store; a lookup that goes ahead is counted
     */
    synchronized Decision admit(InetAddress client) {
        long now = nanoTime.getAsLong();
        Misses recent = client == null ? null : addresses.get(key(client));
        Decision decision;
        if (!ceiling.has(now, 1)) {
            decision = Decision.STORE_CEILING;
        } else if (client != null && isClean(recent, now)) {
            decision = Decision.LOOK_UP;
        } else if (recent == null || recent.bucket.has(now, 1)) {
            decision = misses.has(now, 1) ? Decision.LOOK_UP : Decision.FLOOD_FROM_MANY_ADDRESSES;
        } else {
            decision = misses.has(now, RESERVE + 1) ? Decision.LOOK_UP : Decision.ADDRESS_OVER_ITS_LIMIT;
        }
        if (decision == Decision.LOOK_UP) {
            ceiling.take(now);
        }
        return decision;
    }

    /** Charges a lookup that found nothing to its address and to the shared allowance. */
    synchronized void missed(InetAddress client) {
        long now = nanoTime.getAsLong();
        misses.take(now);
        if (client == null) {
            return;
        }
        InetAddress key = key(client);
        Misses recent = addresses.get(key);
        if (recent == null) {
            if (addresses.size() >= MAX_TRACKED_ADDRESSES) {
                forgetClean(now);
            }
            if (addresses.size() >= MAX_TRACKED_ADDRESSES) {
                return; // a flood from this many addresses meets the shared allowance and the ceiling
            }
            recent = new Misses(now);
            addresses.put(key, recent);
        }
        recent.bucket.take(now);
        recent.lastMiss = now;
    }

    private static boolean isClean(Misses recent, long now) {
        return recent == null || now - recent.lastMiss >= CLEAN_AFTER.toNanos();
    }

    /** Forgets the addresses that have not missed lately: they are as good as never seen. */
    private void forgetClean(long now) {
        addresses.values().removeIf(recent -> isClean(recent, now));
    }

    /** @return how many addresses are remembered for their misses */
    synchronized int trackedAddresses() {
        return addresses.size();
    }

    /** An IPv4 address stands for itself; an IPv6 address for its /64, which one host usually has whole. */
    static InetAddress key(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }

    /** A token bucket: holds up to {@code capacity}, refilled at {@code perSecond}. */
    private static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long refilledAt;

        Bucket(int capacity, int perSecond, long now) {
            this.capacity = capacity;
            this.perNano = (double) perSecond / SECOND;
            this.tokens = capacity;
            this.refilledAt = now;
        }

        boolean has(long now, int count) {
            refill(now);
            return tokens >= count;
        }

        void take(long now) {
            refill(now);
            tokens = Math.max(0, tokens - 1);
        }

        private void refill(long now) {
            long elapsed = now - refilledAt;
            if (elapsed > 0) {
                tokens = Math.min(capacity, tokens + elapsed * perNano);
                refilledAt = now;
            }
        }
    }
}
