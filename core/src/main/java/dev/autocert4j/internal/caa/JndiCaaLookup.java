package dev.autocert4j.internal.caa;

import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * CAA lookups through the JDK's JNDI DNS provider, which returns the RDATA of a type it does not
 * know (CAA is type 257) as raw octets; so core needs no DNS library. Recursive resolvers are asked
 * in turn; none configured means the system's.
 */
final class JndiCaaLookup implements CaaLookup {

    private static final String CAA_TYPE = "257";
    /** The first wait for an answer; the provider doubles it at each of its retries. */
    private static final String FIRST_TIMEOUT_MILLIS = "1000";
    private static final String RETRIES = "3";

    private final String providerUrl;

    /** @param resolvers the resolvers to ask in turn; empty for the system's */
    JndiCaaLookup(List<InetSocketAddress> resolvers) {
        this.providerUrl = resolvers.isEmpty() ? "dns:"
                : resolvers.stream().map(JndiCaaLookup::url).collect(Collectors.joining(" "));
    }

    private static String url(InetSocketAddress resolver) {
        String host = resolver.getAddress() == null ? resolver.getHostString() : resolver.getAddress().getHostAddress();
        return "dns://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + resolver.getPort();
    }

    @Override
    public List<byte[]> caaAt(String name) throws IOException {
        try {
            List<byte[]> records = new ArrayList<>();
            for (Object value : values(name, CAA_TYPE)) {
                // a value that is not raw octets cannot be read as CAA: an empty RDATA refuses issuance
                records.add(value instanceof byte[] rdata ? rdata.clone() : new byte[0]);
            }
            return records;
        } catch (NameNotFoundException e) {
            return List.of();
        } catch (NamingException e) {
            throw new IOException(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    @Override
    public Optional<String> aliasTarget(String name) {
        try {
            return values(name, "CNAME").stream().findFirst().map(String::valueOf)
                    .map(target -> target.endsWith(".") ? target.substring(0, target.length() - 1) : target);
        } catch (NamingException e) {
            return Optional.empty();
        }
    }

    private List<Object> values(String name, String type) throws NamingException {
        Hashtable<String, String> environment = new Hashtable<>();
        environment.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        environment.put(DirContext.PROVIDER_URL, providerUrl);
        environment.put("com.sun.jndi.dns.timeout.initial", FIRST_TIMEOUT_MILLIS);
        environment.put("com.sun.jndi.dns.timeout.retries", RETRIES);
        DirContext context = new InitialDirContext(environment);
        try {
            Attribute attribute = context.getAttributes(name + ".", new String[] {type}).get(type);
            List<Object> values = new ArrayList<>();
            if (attribute != null) {
                NamingEnumeration<?> all = attribute.getAll();
                while (all.hasMore()) {
                    values.add(all.next());
                }
            }
            return values;
        } finally {
            context.close();
        }
    }

    @Override
    public String toString() {
        return providerUrl.equals("dns:") ? "the system's resolvers" : providerUrl;
    }
}
