package dev.autocert4j.dns;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers DNS-01 challenges through a {@link DnsProvider}: publishing a challenge puts the TXT
 * record {@code _acme-challenge.<name>} (with the SHA-256 of the key authorization, base64url) into
 * the name's zone and then waits, before the CA is asked to look, until every authoritative server
 * of the zone answers it: the provider's own servers ({@link DnsProvider#authoritativeServers}) or
 * the zone's NS, each asked directly, never a recursive resolver's cache. Withdrawing removes the
 * record. Wildcards ({@code *.example.com}) use the record of the name under them.
 *
 * <pre>{@code
 * ChallengeResponder dns = Dns01Responder.using(new Rfc2136Provider(server, tsigKey)).build();
 * AutoCert.builder()...challengeResponder(ChallengeType.DNS_01, dns)...
 * }</pre>
 *
 * @since 0.2.0
 */
public final class Dns01Responder implements ChallengeResponder {

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
     * ({@code META-INF/services/dev.autocert4j.dns.DnsProvider}).
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

    /** DNS-01 needs the name being validated: use {@link #publish(String, String, String)}. */
    @Override
    public void publish(String token, String keyAuthorization) {
        throw new IllegalArgumentException("DNS-01 needs the name being validated: call publish(domain, token, keyAuthorization)");
    }

    @Override
    public void publish(String domain, String token, String keyAuthorization) {
        Objects.requireNonNull(domain, "domain");
        String base = domain.startsWith("*.") ? domain.substring(2) : domain;
        String name = "_acme-challenge." + base;
        String value = digest(keyAuthorization);
        String zone = zoneOf(name);
        provider.addTxtRecord(zone, name, value);
        published.put(token, new Published(zone, name, value));
        LOG.info("Put the TXT record {} into zone {}; waiting until its name servers answer it", name, zone);
        awaitPropagation(zone, name, value);
    }

    @Override
    public void withdraw(String token) {
        Published record = published.remove(token);
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

    private void awaitPropagation(String zone, String name, String value) {
        List<InetSocketAddress> servers = authoritativeServers(zone);
        long deadline = System.nanoTime() + propagationTimeout.toNanos();
        List<InetSocketAddress> missing = new ArrayList<>(servers);
        while (true) {
            missing.removeIf(server -> answers(server, name, value));
            if (missing.isEmpty()) {
                LOG.info("The TXT record {} is on every authoritative server of {}: {}", name, zone, servers);
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AutoCertException("The TXT record " + name + " did not appear on " + missing + " within "
                        + propagationTimeout + "; the DNS provider accepted it, but the zone's name servers do not"
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

    /** The TXT value of DNS-01 (RFC 8555 section 8.4): base64url of the SHA-256 of the key authorization. */
    static String digest(String keyAuthorization) {
        try {
            byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(keyAuthorization.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
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
