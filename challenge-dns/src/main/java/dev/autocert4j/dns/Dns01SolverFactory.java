package dev.autocert4j.dns;

import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.ChallengeSolverFactory;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.spi.PluginSettings;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * DNS-01 through any {@link dev.autocert4j.spi.DnsProvider} chosen by name, by the name
 * {@code dns-01}. Its settings are one flat map: {@code provider} (the provider's name, required)
 * and the provider's own settings side by side with these, which no provider may use:
 * <ul>
 *   <li>{@code resolver}: {@code HOST:PORT}, or several separated by commas, asked in turn to find
 *       zones, CNAMEs and name servers; the system's by default;</li>
 *   <li>{@code zone}: the zone to write to, instead of finding it by an SOA walk;</li>
 *   <li>{@code propagation-timeout}: how long to wait, in seconds, for every authoritative server to
 *       answer the value (1 to 3600, default 120);</li>
 *   <li>{@code authoritative-port}: the port authoritative servers are asked on (default 53, as the
 *       CA asks them; change it only where the host's DNS is unusual).</li>
 * </ul>
 * For example {@code provider=powerdns}, {@code api-url=http://127.0.0.1:8081},
 * {@code api-key-file=/etc/portal/pdns.key}, {@code resolver=10.0.0.2:53}.
 *
 * @since 0.2.0
 */
public final class Dns01SolverFactory implements ChallengeSolverFactory {

    /** The name it is chosen by. */
    public static final String NAME = "dns-01";
    /** The settings of the solver itself; every other setting is the provider's. */
    public static final Set<String> OWN_SETTINGS = Set.of("provider", "resolver", "zone", "propagation-timeout",
            "authoritative-port");

    /** For {@link java.util.ServiceLoader}. */
    public Dns01SolverFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChallengeType challengeType() {
        return ChallengeType.DNS_01;
    }

    /** @return its own settings and those of every provider on the class path */
    @Override
    public Set<String> settings() {
        Set<String> all = new TreeSet<>(OWN_SETTINGS);
        NamedPlugins.all(DnsProviderFactory.class, classLoader()).values().forEach(factory -> all.addAll(factory.settings()));
        return all;
    }

    @Override
    public ChallengeSolver create(PluginSettings settings) {
        String providerName = settings.required("provider");
        List<InetSocketAddress> resolvers = resolvers(settings);
        Duration propagationTimeout = Duration.ofSeconds(settings.integer("propagation-timeout", 120, 1, 3600));
        int authoritativePort = settings.integer("authoritative-port", 53, 1, 65_535);
        String zone = settings.optional("zone").orElse(null);
        if (zone != null) {
            Dns01Responder.Builder.checkZone(zone);
        }
        DnsProviderFactory factory = NamedPlugins.find(DnsProviderFactory.class, providerName, classLoader());
        PluginSettings ofProvider = providerSettings(factory, settings);
        Dns01Responder.Builder responder = Dns01Responder.using(factory.create(ofProvider))
                .propagationTimeout(propagationTimeout).authoritativePort(authoritativePort);
        if (zone != null) {
            responder.zone(zone);
        }
        if (!resolvers.isEmpty()) {
            responder.resolvers(resolvers);
        }
        return responder.build();
    }

    private static PluginSettings providerSettings(DnsProviderFactory factory, PluginSettings settings) {
        Set<String> clash = new TreeSet<>(factory.settings());
        clash.retainAll(OWN_SETTINGS);
        if (!clash.isEmpty()) {
            throw new IllegalStateException("The DNS provider " + factory.getClass().getName() + " reads " + clash
                    + ", which are the dns-01 solver's own settings; rename them in the provider");
        }
        Map<String, String> values = new HashMap<>();
        for (String key : settings.keys()) {
            if (OWN_SETTINGS.contains(key)) {
                continue;
            }
            if (!factory.settings().contains(key)) {
                Set<String> known = new TreeSet<>(factory.settings());
                known.addAll(OWN_SETTINGS);
                throw new InvalidInputException(key, null, "is not a setting of the " + factory.name() + " DNS provider"
                        + " or the dns-01 solver; they read " + String.join(", ", known));
            }
            settings.optional(key).ifPresent(value -> values.put(key, value));
        }
        return PluginSettings.of(factory.name(), values);
    }

    /** The resolvers: one HOST:PORT or several separated by commas. */
    static List<InetSocketAddress> resolvers(PluginSettings settings) {
        List<InetSocketAddress> resolvers = new ArrayList<>();
        for (String one : settings.optional("resolver").orElse("").split(",")) {
            if (!one.isBlank()) {
                PluginSettings single = PluginSettings.of(NAME, Map.of("resolver", one.strip()));
                single.address("resolver").map(Rfc2136ProviderFactory::resolved).ifPresent(resolvers::add);
            }
        }
        return resolvers;
    }

    private ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Dns01SolverFactory.class.getClassLoader();
    }
}
