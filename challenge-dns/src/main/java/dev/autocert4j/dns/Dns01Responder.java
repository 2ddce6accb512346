package dev.autocert4j.dns;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.PendingChallenge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers DNS-01 challenges through a {@link DnsProvider}. Presenting a challenge follows the CNAME
 * chain at {@code _acme-challenge.<name>} if there is one (so the record can live in a zone made for
 * it, and the portal holds no credential for the main zone), finds the zone of the final name by an
 * SOA walk up from it (unless a zone is given and holds it), and puts the TXT value
 * {@link PendingChallenge#txtValue()} there. {@link #awaitReady} then waits, before the CA is asked
 * to look, until every authoritative server of that zone answers the value: the provider's own
 * servers ({@link DnsProvider#authoritativeServers}) or else every address (IPv4 and IPv6) of every
 * NS of the zone, each asked directly, never a recursive resolver's cache. Cleaning up removes that
 * value and no other (a name and its wildcard share the record name). Wildcards
 * ({@code *.example.com}) use the record of the name under them.
 *
 * <p>Zones, CNAMEs and name servers are looked up with the resolvers given (the system's by
 * default), in turn; the provider's own servers, if it names any, are asked first. Authoritative
 * servers are asked on port 53, as the CA asks them, unless {@link Builder#authoritativePort} says
 * otherwise.
 *
 * <pre>{@code
 * ChallengeSolver dns = Dns01Responder.using(DnsProviders.create("powerdns", Map.of(
 *         "api-url", "http://127.0.0.1:8081", "api-key-file", "/etc/portal/pdns.key"))).build();
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
    private final List<InetSocketAddress> resolvers;
    private final String zone;
    private final int authoritativePort;
    private final Clock clock;
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
        this.resolvers = List.copyOf(builder.resolvers);
        this.zone = builder.zone;
        this.authoritativePort = builder.authoritativePort;
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
    }

    /**
     * @param provider the DNS host's API
     * @return a builder
     */
    public static Builder using(DnsProvider provider) {
        return new Builder(provider);
    }

    /** @return {@link ChallengeType#DNS_01} */
    @Override
    public ChallengeType type() {
        return ChallengeType.DNS_01;
    }

    /**
     * Puts the challenge's TXT value at the end of the CNAME chain of its record name, in that name's zone.
     *
     * @param challenge a DNS-01 challenge
     * @throws IllegalArgumentException if it is not a DNS-01 challenge
     * @throws AutoCertException        if the zone cannot be found, the CNAME chain loops, or the provider refuses
     */
    @Override
    public void present(PendingChallenge challenge) {
        requireDns01(challenge);
        DnsLookups lookups = lookups(challenge.txtRecordName());
        String name = lookups.followCnames(challenge.txtRecordName());
        String recordZone = zone != null && DnsLookups.isWithin(name, zone) ? DnsLookups.relative(zone) : lookups.zoneOf(name);
        String value = challenge.txtValue();
        provider.addTxtRecord(recordZone, name, value);
        published.put(challenge.token(), new Published(recordZone, name, value));
        if (name.equalsIgnoreCase(challenge.txtRecordName())) {
            LOG.info("Put a TXT value at {} into zone {}", name, recordZone);
        } else {
            LOG.info("Put a TXT value at {} (the CNAME target of {}) into zone {}", name, challenge.txtRecordName(),
                    recordZone);
        }
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
        awaitPropagation(record, wait);
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

    /** The provider's own servers first (they know zones no public resolver knows), then the resolvers. */
    private DnsLookups lookups(String zoneOrName) {
        List<InetSocketAddress> servers = new ArrayList<>(provider.authoritativeServers(zoneOrName));
        servers.addAll(resolvers.isEmpty() ? DnsLookups.systemResolvers() : resolvers);
        return new DnsLookups(servers, authoritativePort);
    }

    private static void requireDns01(PendingChallenge challenge) {
        Objects.requireNonNull(challenge, "challenge");
        if (challenge.type() != ChallengeType.DNS_01) {
            throw new IllegalArgumentException("This solver answers DNS-01, not " + challenge.type().acmeName());
        }
    }

    private void awaitPropagation(Published record, Duration timeout) {
        List<DnsLookups.NameServer> servers = authoritativeServers(record.zone());
        Instant deadline = clock.instant().plus(timeout);
        List<DnsLookups.NameServer> missing = new ArrayList<>(servers);
        while (true) {
            missing.removeIf(server -> answers(server, record.name(), record.value()));
            if (missing.isEmpty()) {
                LOG.info("The TXT record {} is on every authoritative server of {}: {}", record.name(), record.zone(),
                        servers);
                return;
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new AutoCertException("The TXT record " + record.name() + " did not appear on " + missing
                        + " within " + timeout + " (of the zone " + record.zone() + "'s authoritative servers " + servers
                        + "); the DNS provider accepted it, but these name servers do not answer it yet", null);
            }
            try {
                sleeper.sleep(pollInterval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AutoCertException("Interrupted while waiting for the TXT record " + record.name(), e);
            }
        }
    }

    private List<DnsLookups.NameServer> authoritativeServers(String recordZone) {
        List<InetSocketAddress> own = provider.authoritativeServers(recordZone);
        if (!own.isEmpty()) {
            return own.stream().map(address -> new DnsLookups.NameServer(null, address)).toList();
        }
        try {
            List<DnsLookups.NameServer> nameServers = lookups(recordZone).nameServersOf(recordZone);
            if (nameServers.isEmpty()) {
                throw new AutoCertException("The zone " + recordZone + " has no name server with an address", null);
            }
            return nameServers;
        } catch (IOException e) {
            throw new AutoCertException("Cannot find the name servers of " + recordZone + ": " + e.getMessage(), e);
        }
    }

    private static boolean answers(DnsLookups.NameServer server, String name, String value) {
        try {
            return DnsLookups.txtValues(name, server.address()).contains(value);
        } catch (IOException e) {
            LOG.debug("Asking {} for {} failed: {}", server, name, e.toString());
            return false;
        }
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
        private final List<InetSocketAddress> resolvers = new ArrayList<>();
        private String zone;
        private int authoritativePort = 53;
        private Clock clock = Clock.systemUTC();
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
         * Sets the one resolver used to find zones, CNAMEs and name servers; default the system's.
         *
         * @param resolver the resolver's address
         * @return this builder
         */
        public Builder resolver(InetSocketAddress resolver) {
            return resolvers(List.of(Objects.requireNonNull(resolver, "resolver")));
        }

        /**
         * Sets the resolvers used to find zones, CNAMEs and name servers, asked in turn until one
         * answers; default the system's.
         *
         * @param resolvers the resolvers' addresses, at least one
         * @return this builder
         * @since 0.2.0
         */
        public Builder resolvers(List<InetSocketAddress> resolvers) {
            if (resolvers == null || resolvers.isEmpty()) {
                throw new InvalidInputException("resolver", null, "needs at least one HOST:PORT");
            }
            this.resolvers.clear();
            resolvers.forEach(resolver -> this.resolvers.add(Objects.requireNonNull(resolver, "resolver")));
            return this;
        }

        /**
         * Gives the zone records are written to when the record's name is in it, instead of finding
         * it by an SOA walk; a name outside it (a CNAME target elsewhere) still has its zone found.
         *
         * @param zone the zone, such as {@code example.com}
         * @return this builder
         * @since 0.2.0
         */
        public Builder zone(String zone) {
            checkZone(zone);
            this.zone = DnsLookups.relative(zone.strip());
            return this;
        }

        /**
         * Sets the port a zone's name servers are asked on for the propagation check. The CA asks
         * them on 53, the default; change it only where the host's DNS is unusual (a test, a port
         * forwarded on a firewall).
         *
         * @param port the port, 1 to 65535
         * @return this builder
         * @since 0.2.0
         */
        public Builder authoritativePort(int port) {
            if (port < 1 || port > 65_535) {
                throw new InvalidInputException("authoritative-port", String.valueOf(port), "must be between 1 and 65535");
            }
            this.authoritativePort = port;
            return this;
        }

        static void checkZone(String zone) {
            Objects.requireNonNull(zone, "zone");
            if (zone.isBlank() || zone.contains(" ") || zone.startsWith(".") || zone.contains("..")) {
                throw new InvalidInputException("zone", zone, "is not a DNS zone name such as example.com");
            }
        }

        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
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
