package dev.autocert4j.dns;

import dev.autocert4j.AutoCertException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The DNS questions DNS-01 needs answered: the zone of a name (an SOA walk up the name), where a
 * CNAME chain at a name ends, a zone's authoritative servers (its NS, each one's IPv4 and IPv6
 * addresses), all asked of the resolvers in turn; and the TXT values a server itself holds, asked
 * of it directly, never of a cache in between.
 */
final class DnsLookups {

    /** The longest CNAME chain followed: more is most likely a mistake, and costs lookups. */
    static final int MAX_CNAME_CHAIN = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final List<InetSocketAddress> resolvers;
    private final int authoritativePort;

    /**
     * @param resolvers         asked in turn until one answers
     * @param authoritativePort the port a zone's name servers are asked on (53 unless the host's DNS is unusual)
     */
    DnsLookups(List<InetSocketAddress> resolvers, int authoritativePort) {
        if (resolvers.isEmpty()) {
            throw new IllegalArgumentException("no resolver");
        }
        this.resolvers = List.copyOf(resolvers);
        this.authoritativePort = authoritativePort;
    }

    /** A zone's name server: its name, for messages, and one of its addresses. */
    record NameServer(String host, InetSocketAddress address) {
        @Override
        public String toString() {
            String where = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
            return (host == null ? "" : host + " ") + "(" + where + ":" + address.getPort() + ")";
        }
    }

    /**
     * The zone a name belongs to: walking up from the name, the first name the resolvers return an
     * SOA record for, as the answer or, for a name without records, as the authority.
     *
     * @throws AutoCertException if no step finds one, naming every step and what it got
     */
    String zoneOf(String name) {
        List<String> steps = new ArrayList<>();
        for (String candidate = relative(name); candidate != null; candidate = parent(candidate)) {
            Message response;
            try {
                response = ask(candidate, Type.SOA);
            } catch (IOException e) {
                steps.add(candidate + " (" + e.getMessage() + ")");
                continue;
            }
            Optional<String> zone = soaIn(response, candidate);
            if (zone.isPresent()) {
                return zone.get();
            }
            steps.add(candidate + " (" + Rcode.string(response.getRcode()) + ", no SOA)");
        }
        throw new AutoCertException("No DNS zone holds " + relative(name) + ": asked " + describe(resolvers)
                + " for the SOA record of " + String.join(", ", steps) + ". Check that the name is in a zone these"
                + " resolvers know, or give the zone", null);
    }

    private static Optional<String> soaIn(Message response, String candidate) {
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record instanceof SOARecord soa && relative(soa.getName()).equalsIgnoreCase(candidate)) {
                return Optional.of(relative(soa.getName()));
            }
        }
        for (Record record : response.getSection(Section.AUTHORITY)) {
            if (record instanceof SOARecord soa && isWithin(candidate, relative(soa.getName()))) {
                return Optional.of(relative(soa.getName()));
            }
        }
        return Optional.empty();
    }

    /**
     * Where a CNAME chain starting at a name ends: the name itself if it is no CNAME.
     *
     * @throws AutoCertException if the chain loops, is longer than {@link #MAX_CNAME_CHAIN}, or cannot be looked up
     */
    String followCnames(String name) {
        Set<String> chain = new LinkedHashSet<>();
        String current = relative(name);
        chain.add(current.toLowerCase(Locale.ROOT));
        for (int links = 0; ; links++) {
            Optional<String> target = cnameOf(current);
            if (target.isEmpty()) {
                return current;
            }
            String next = target.get();
            if (!chain.add(next.toLowerCase(Locale.ROOT))) {
                throw new AutoCertException("The CNAME chain at " + relative(name) + " loops: " + String.join(" -> ", chain)
                        + " -> " + next + "; fix the CNAME records", null);
            }
            if (links + 1 > MAX_CNAME_CHAIN) {
                throw new AutoCertException("The CNAME chain at " + relative(name) + " is longer than " + MAX_CNAME_CHAIN
                        + " links: " + String.join(" -> ", chain) + "; point the CNAME at the final name", null);
            }
            current = next;
        }
    }

    private Optional<String> cnameOf(String name) {
        Message response;
        try {
            response = ask(name, Type.CNAME);
        } catch (IOException e) {
            throw new AutoCertException("Cannot look up the CNAME of " + name + " with " + describe(resolvers) + ": "
                    + e.getMessage(), e);
        }
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record instanceof CNAMERecord cname && relative(cname.getName()).equalsIgnoreCase(name)) {
                return Optional.of(relative(cname.getTarget()));
            }
        }
        return Optional.empty();
    }

    /** The addresses of a zone's name servers, IPv4 and IPv6, on the authoritative port. */
    List<NameServer> nameServersOf(String zone) throws IOException {
        List<NameServer> servers = new ArrayList<>();
        for (Record record : ask(zone, Type.NS).getSection(Section.ANSWER)) {
            if (record instanceof NSRecord ns) {
                String host = relative(ns.getTarget());
                for (int type : new int[]{Type.A, Type.AAAA}) {
                    for (Record address : ask(host, type).getSection(Section.ANSWER)) {
                        if (address instanceof ARecord a) {
                            servers.add(new NameServer(host, new InetSocketAddress(a.getAddress(), authoritativePort)));
                        } else if (address instanceof AAAARecord aaaa) {
                            servers.add(new NameServer(host, new InetSocketAddress(aaaa.getAddress(), authoritativePort)));
                        }
                    }
                }
            }
        }
        return servers;
    }

    /** The TXT values a server itself holds for a name (no recursion). */
    static List<String> txtValues(String name, InetSocketAddress server) throws IOException {
        List<String> values = new ArrayList<>();
        for (Record record : query(server, name, Type.TXT, false).getSection(Section.ANSWER)) {
            if (record instanceof TXTRecord txt && relative(txt.getName()).equalsIgnoreCase(relative(name))) {
                values.add(String.join("", txt.getStrings()));
            }
        }
        return values;
    }

    /** The zone a name belongs to, asked of one server: for the tests and the provider's own servers. */
    static Optional<String> zoneOf(String name, InetSocketAddress server, boolean recursive) throws IOException {
        return soaIn(query(server, name, Type.SOA, recursive), relative(name));
    }

    /** The name servers the system is configured with (resolv.conf), port 53 unless it says otherwise. */
    static List<InetSocketAddress> systemResolvers() {
        List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
        if (servers.isEmpty()) {
            throw new IllegalStateException("this machine has no DNS resolver configured; give one (resolver)");
        }
        return servers;
    }

    /** Asks the resolvers in turn; the first answer that is not a server failure or a refusal wins. */
    private Message ask(String name, int type) throws IOException {
        List<String> failures = new ArrayList<>();
        Message last = null;
        for (InetSocketAddress resolver : resolvers) {
            try {
                Message response = query(resolver, name, type, true);
                int rcode = response.getRcode();
                if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                    return response;
                }
                last = response;
                failures.add(describe(resolver) + " " + Rcode.string(rcode));
            } catch (IOException e) {
                failures.add(describe(resolver) + " " + (e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage()));
            }
        }
        if (last != null) {
            return last;
        }
        throw new IOException("no resolver answered: " + String.join("; ", failures));
    }

    private static Message query(InetSocketAddress server, String name, int type, boolean recursive) throws IOException {
        Resolver resolver = new SimpleResolver(server);
        resolver.setTimeout(TIMEOUT);
        Message query = Message.newQuery(Record.newRecord(Rfc2136Provider.absolute(name), type, DClass.IN));
        if (!recursive) {
            query.getHeader().unsetFlag(Flags.RD);
        }
        return resolver.send(query);
    }

    static String relative(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static String relative(Name name) {
        return relative(name.toString(true));
    }

    private static String parent(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? null : name.substring(dot + 1);
    }

    static boolean isWithin(String name, String zone) {
        String lowerName = relative(name).toLowerCase(Locale.ROOT);
        String lowerZone = relative(zone).toLowerCase(Locale.ROOT);
        return lowerName.equals(lowerZone) || lowerName.endsWith("." + lowerZone);
    }

    static String describe(InetSocketAddress server) {
        String host = server.getAddress() == null ? server.getHostString() : server.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort();
    }

    private static String describe(List<InetSocketAddress> servers) {
        return servers.stream().map(DnsLookups::describe).toList().toString();
    }
}
