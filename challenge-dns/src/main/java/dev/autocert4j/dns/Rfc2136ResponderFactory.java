package dev.autocert4j.dns;

import dev.autocert4j.ChallengeType;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.ChallengeSolverFactory;
import dev.autocert4j.spi.PluginSettings;

import java.util.Set;

/**
 * DNS-01 through a server that takes RFC 2136 dynamic updates signed with TSIG (BIND, Knot,
 * PowerDNS), by the name {@code rfc2136}: the same as the {@code dns-01} solver with
 * {@code provider=rfc2136}. Settings: {@code server} ({@code HOST:PORT}, required),
 * {@code tsig-file} (the key in BIND's key-file format, as {@code tsig-keygen} writes it; required,
 * and refused if other users can read it) and {@code resolver} ({@code HOST:PORT}, or several separated by
 * commas, to look up zones and authoritative servers with; the system's by default).
 *
 * @since 0.2.0
 */
public final class Rfc2136ResponderFactory implements ChallengeSolverFactory {

    /** The name it is chosen by. */
    public static final String NAME = "rfc2136";

    /** For {@link java.util.ServiceLoader}. */
    public Rfc2136ResponderFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChallengeType challengeType() {
        return ChallengeType.DNS_01;
    }

    @Override
    public Set<String> settings() {
        return Set.of("server", "tsig-file", "resolver");
    }

    @Override
    public ChallengeSolver create(PluginSettings settings) {
        Dns01Responder.Builder responder = Dns01Responder.using(new Rfc2136ProviderFactory().create(settings));
        java.util.List<java.net.InetSocketAddress> resolvers = Dns01SolverFactory.resolvers(settings);
        if (!resolvers.isEmpty()) {
            responder.resolvers(resolvers);
        }
        return responder.build();
    }
}
