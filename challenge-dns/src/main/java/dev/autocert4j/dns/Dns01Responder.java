package dev.autocert4j.dns;

import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.PendingChallenge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers DNS-01 challenges through a {@link DnsProvider}: presenting a challenge puts the TXT
 * value {@link PendingChallenge#txtValue()} at {@code _acme-challenge.<name>} into the name's zone;
 * {@link #awaitReady} then waits, before the CA is asked to look, until every authoritative server
 * of the zone answers it: the provider's own servers ({@link DnsProvider#authoritativeServers}) or
 * the zone's NS, each asked directly, never a recursive resolver's cache. Cleaning up removes that
 * value and no other (a name and its wildcard share the record name). Wildcards
 * ({@code *.example.com}) use the record of the name under them.
 *
 * <pre>{@code
 * ChallengeSolver dns = Dns01Responder.using(new Rfc2136Provider(server, tsigKey)).build();
 * AutoCert.builder()...challengeSolver(dns)...
 * }</pre>
 *
 * @since 0.2.0
 */
public final class Dns01Responder implements ChallengeSolver {

    private static final Logger LOG = LoggerFactory.getLogger(Dns01Responder.class);

    private final DnsProvider provider;
    private final Duration propagationTimeout;
    private final Duration pollInterval;
    private final InetSocketAddress resolver;
    private final Sleeper sleeper;
    private final Map<String, Published> published = new ConcurrentHashMap<>();

    /** Waits between propagation checks; tests replace it. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private record Published(String zone, String name, String value) {
    }

    private Dns01Responder(Builder builder) {
        this.provider = builder.provider;
        this.propagationTimeout = builder.propagationTimeout;
        this.pollInterval = builder.pollInterval;
        this.resolver = builder.resolver;
        this.sleeper = builder.sleeper;
    }

    /**
     * @param provider the DNS host's API
     * @return a builder
     */
    public static Builder using(DnsProvider provider) {
        return new Builder(provider);
    }

    /**
     * Builds a responder over the one {@link DnsProvider} installed as a plugin
     * ({@code META-INF/services/dev.autocert4j.spi.DnsProvider}).
     *
     * @param classLoader where to look
     * @return a builder
     * @throws InvalidInputException if there is no provider, or more than one
     */
    public static Builder fromServiceLoader(ClassLoader classLoader) {
        List<DnsProvider> providers = new ArrayList<>();
        ServiceLoader.load(DnsProvider.class, classLoader).forEach(providers::add);
        if (providers.size() != 1) {
            throw new InvalidInputException("DnsProvider", String.valueOf(providers.size()), "plugins found; DNS-01 needs"
                    + " exactly one (register it in META-INF/services/" + DnsProvider.class.getName() + ")");
        }
        return using(providers.get(0));
    }

    /** @return {@link ChallengeType#DNS_01} */
    @Override
    public ChallengeType type() {
        return ChallengeType.DNS_01;
    }

    /**
     * Puts the challenge's TXT value into the zone of its record name.
     *
     * @param challenge a DNS-01 challenge
     * @throws IllegalArgumentException if it is not a DNS-01 challenge
     * @throws AutoCertException        if the zone cannot be found or the provider refuses
     */
    @Override
    public void present(PendingChallenge challenge) {
        requireDns01(challenge);
        String name = challenge.txtRecordName();
        String value = challenge.txtValue();
        String zone = zoneOf(name);
        provider.addTxtRecord(zone, name, value);
        published.put(challenge.token(), new Published(zone, name, value));
        LOG.info("Put a TXT value at {} into zone {}", name, zone);
    }

    /**
     * Waits until every authoritative server of the zone answers the value {@link #present} put
     * there, for the propagation timeout or the given timeout, whichever is shorter.
     *
     * @param challenge the challenge just presented
     * @param timeout   the longest the caller lets it wait
     * @throws AutoCertException if a server does not answer the value in time, naming the servers
     */
    @Override
    public void awaitReady(PendingChallenge challenge, Duration timeout) {
        requireDns01(challenge);
        Published record = published.get(challenge.token());
        if (record == null) {
            throw new IllegalStateException("The " + challenge + " was not presented to this solver");
        }
        Duration wait = timeout.compareTo(propagationTimeout) < 0 ? timeout : propagationTimeout;
        awaitPropagation(record.zone(), record.name(), record.value(), wait);
    }

    /**
     * Removes the TXT value {@link #present} put into the zone for this challenge, and only that
     * value; a challenge it does not know does nothing. A failure is logged, not thrown: the record
     * is then to be removed by hand.
     *
     * @param challenge the challenge
     */
    @Override
    public void cleanUp(PendingChallenge challenge) {
        Objects.requireNonNull(challenge, "challenge");
        Published record = published.remove(challenge.token());
        if (record == null) {
            return;
        }
        try {
            provider.removeTxtRecord(record.zone(), record.name(), record.value());
        } catch (RuntimeException e) {
            LOG.warn("Could not remove the TXT record {} from zone {}; remove it by hand: {}", record.name(),
                    record.zone(), e.getMessage());
        }
    }

    /** The zone, asked of the provider's servers first (they know zones no public resolver knows). */
    private String zoneOf(String name) {
        List<InetSocketAddress> servers = new ArrayList<>(provider.authoritativeServers(name));
        try {
            for (InetSocketAddress server : servers) {
                var zone = DnsLookups.zoneOf(name, server, false);
                if (zone.isPresent()) {
                    return zone.get();
                }
            }
            return DnsLookups.zoneOf(name, resolver(), true).orElseThrow(() -> new AutoCertException("No DNS zone"
                    + " holds " + name + ": no server returned its SOA record", null));
        } catch (IOException e) {
            throw new AutoCertException("Cannot find the DNS zone of " + name + ": " + e.getMessage(), e);
        }
    }

    private static void requireDns01(PendingChallenge challenge) {
        Objects.requireNonNull(challenge, "challenge");
        if (challenge.type() != ChallengeType.DNS_01) {
            throw new IllegalArgumentException("This solver answers DNS-01, not " + challenge.type().acmeName());
        }
    }

    private void awaitPropagation(String zone, String name, String value, Duration timeout) {
        List<InetSocketAddress> servers = authoritativeServers(zone);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<InetSocketAddress> missing = new ArrayList<>(servers);
        while (true) {
            missing.removeIf(server -> answers(server, name, value));
            if (missing.isEmpty()) {
                LOG.info("The TXT record {} is on every authoritative server of {}: {}", name, zone, servers);
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AutoCertException("The TXT record " + name + " did not appear on " + missing + " within "
                        + timeout + "; the DNS provider accepted it, but the zone's name servers do not"
                        + " answer it yet", null);
            }
            try {
                sleeper.sleep(pollInterval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AutoCertException("Interrupted while waiting for the TXT record " + name, e);
            }
        }
    }

    private List<InetSocketAddress> authoritativeServers(String zone) {
        List<InetSocketAddress> servers = provider.authoritativeServers(zone);
        if (!servers.isEmpty()) {
            return servers;
        }
        try {
            List<InetSocketAddress> nameServers = DnsLookups.nameServersOf(zone, resolver());
            if (nameServers.isEmpty()) {
                throw new AutoCertException("The zone " + zone + " has no name server with an address", null);
            }
            return nameServers;
        } catch (IOException e) {
            throw new AutoCertException("Cannot find the name servers of " + zone + ": " + e.getMessage(), e);
        }
    }

    private static boolean answers(InetSocketAddress server, String name, String value) {
        try {
            return DnsLookups.txtValues(name, server).contains(value);
        } catch (IOException e) {
            LOG.debug("Asking {} for {} failed: {}", server, name, e.toString());
            return false;
        }
    }

    private InetSocketAddress resolver() {
        return resolver != null ? resolver : DnsLookups.systemResolver();
    }

    @Override
    public String toString() {
        return "Dns01Responder[" + provider + "]";
    }

    /** Builds a {@link Dns01Responder}. */
    public static final class Builder {
        private final DnsProvider provider;
        private Duration propagationTimeout = Duration.ofMinutes(2);
        private Duration pollInterval = Duration.ofSeconds(2);
        private InetSocketAddress resolver;
        private Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());

        private Builder(DnsProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
        }

        /**
         * Sets how long to wait for the record to reach every authoritative server; default 2 minutes.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder propagationTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new InvalidInputException("propagationTimeout", String.valueOf(timeout), "must not be negative");
            }
            this.propagationTimeout = timeout;
            return this;
        }

        /**
         * Sets how often to ask the servers while waiting; default 2 seconds.
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new InvalidInputException("pollInterval", String.valueOf(interval), "must be positive");
            }
            this.pollInterval = interval;
            return this;
        }

        /**
         * Sets the recursive resolver used to find zones and name servers the provider does not
         * name; default the system's.
         *
         * @param resolver the resolver's address
         * @return this builder
         */
        public Builder resolver(InetSocketAddress resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** @return the responder */
        public Dns01Responder build() {
            return new Dns01Responder(this);
        }
    }
}
