package dev.autocert4j.dns;

import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.AutoCertException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Update;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Puts TXT records into a zone by RFC 2136 dynamic update, signed with a TSIG key: for BIND,
 * PowerDNS, Knot and the many DNS servers that accept it. The zone must allow updates with the key
 * ({@code allow-update { key "name"; };} or an {@code update-policy} in BIND). The propagation wait
 * asks the same server, which has the record as soon as the update is answered.
 *
 * <pre>{@code
 * DnsProvider dns = new Rfc2136Provider(new InetSocketAddress("ns1.example.com", 53),
 *         TsigKey.readBindKeyFile(Path.of("/etc/portal/acme-update.key")));
 * }</pre>
 *
 * @since 0.2.0
 */
public final class Rfc2136Provider implements DnsProvider {

    static final long TTL_SECONDS = 60;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final InetSocketAddress server;
    private final TsigKey key;

    /**
     * @param server the primary server of the zone, which takes updates
     * @param key    the TSIG key the zone allows updates with
     */
    public Rfc2136Provider(InetSocketAddress server, TsigKey key) {
        this.server = Objects.requireNonNull(server, "server");
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public void addTxtRecord(String zone, String name, String value) {
        Update update = new Update(absolute(zone));
        update.add(new TXTRecord(absolute(name), DClass.IN, TTL_SECONDS, value));
        send(update, "adding the TXT record " + name);
    }

    @Override
    public void removeTxtRecord(String zone, String name, String value) {
        Update update = new Update(absolute(zone));
        update.delete(new TXTRecord(absolute(name), DClass.IN, 0, value));
        send(update, "removing the TXT record " + name);
    }

    @Override
    public List<InetSocketAddress> authoritativeServers(String zone) {
        return List.of(server);
    }

    private void send(Update update, String doing) {
        Message response;
        try {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTCP(true);
            resolver.setTimeout(TIMEOUT);
            resolver.setTSIGKey(new TSIG(TSIG.algorithmToName(key.algorithm()), absolute(key.name()), key.secret()));
            response = resolver.send(update);
        } catch (IOException e) {
            throw new AutoCertException("The DNS server " + describe() + " could not be reached while " + doing + ": "
                    + e.getMessage(), e);
        }
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR) {
            throw new AutoCertException("The DNS server " + describe() + " refused " + doing + ": " + Rcode.string(rcode)
                    + hint(rcode), null);
        }
        if (!response.isVerified()) {
            throw new AutoCertException("The DNS server " + describe() + " answered " + doing + " without a valid TSIG"
                    + " signature; check the key " + key.name(), null);
        }
    }

    private static String hint(int rcode) {
        return switch (rcode) {
            case Rcode.NOTAUTH -> " (the TSIG key is wrong, or the server is not authoritative for the zone)";
            case Rcode.REFUSED -> " (the zone does not allow updates with this key)";
            case Rcode.NOTZONE -> " (the name is outside the zone)";
            default -> "";
        };
    }

    private String describe() {
        return server.getHostString() + ":" + server.getPort();
    }

    static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }

    /** Names the server and the key, never the secret. */
    @Override
    public String toString() {
        return "Rfc2136Provider[" + describe() + ", " + key + "]";
    }
}
