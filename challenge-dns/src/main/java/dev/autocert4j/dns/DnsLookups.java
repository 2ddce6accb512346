package dev.autocert4j.dns;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
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
import java.util.List;
import java.util.Optional;

/** The DNS questions DNS-01 needs answered, asked of a given server, never of a cache in between when it matters. */
final class DnsLookups {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private DnsLookups() {
    }

    /**
     * The zone a name belongs to: the owner of the SOA record an authoritative server returns for
     * it, in the answer or, for a name without records of its own, in the authority section.
     */
    static Optional<String> zoneOf(String name, InetSocketAddress server, boolean recursive) throws IOException {
        Message response = ask(server, name, Type.SOA, recursive);
        for (int section : new int[]{Section.ANSWER, Section.AUTHORITY}) {
            for (Record record : response.getSection(section)) {
                if (record instanceof SOARecord soa) {
                    return Optional.of(relative(soa.getName()));
                }
            }
        }
        return Optional.empty();
    }

    /** The addresses of a zone's name servers (port 53), found through a recursive resolver. */
    static List<InetSocketAddress> nameServersOf(String zone, InetSocketAddress resolver) throws IOException {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (Record record : ask(resolver, zone, Type.NS, true).getSection(Section.ANSWER)) {
            if (record instanceof NSRecord ns) {
                String host = relative(ns.getTarget());
                for (int type : new int[]{Type.A, Type.AAAA}) {
                    for (Record address : ask(resolver, host, type, true).getSection(Section.ANSWER)) {
                        if (address instanceof ARecord a) {
                            servers.add(new InetSocketAddress(a.getAddress(), 53));
                        } else if (address instanceof AAAARecord aaaa) {
                            servers.add(new InetSocketAddress(aaaa.getAddress(), 53));
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
        for (Record record : ask(server, name, Type.TXT, false).getSection(Section.ANSWER)) {
            if (record instanceof TXTRecord txt) {
                values.add(String.join("", txt.getStrings()));
            }
        }
        return values;
    }

    /** The first name server the system is configured with (resolv.conf), port 53 unless it says otherwise. */
    static InetSocketAddress systemResolver() {
        List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
        if (servers.isEmpty()) {
            throw new IllegalStateException("this machine has no DNS resolver configured; give one to the Dns01Responder");
        }
        return servers.get(0);
    }

    private static Message ask(InetSocketAddress server, String name, int type, boolean recursive) throws IOException {
        Resolver resolver = new SimpleResolver(server);
        resolver.setTimeout(TIMEOUT);
        Message query = Message.newQuery(Record.newRecord(Rfc2136Provider.absolute(name), type, DClass.IN));
        if (!recursive) {
            query.getHeader().unsetFlag(Flags.RD);
        }
        return resolver.send(query);
    }

    private static String relative(Name name) {
        String text = name.toString(true);
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
