package dev.autocert4j.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A throwaway PowerDNS ({@link PowerDnsServer}) for one test class, with zones created when it
 * starts. Its address is chosen when the extension is made, so a {@link PebbleExtension} declared
 * after it can be told to ask it:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PowerDnsExtension PDNS = new PowerDnsExtension().zone("example.test", "@ A 127.0.0.1");
 * @RegisterExtension
 * static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().dnsServer(PDNS.dnsAddress());
 * }</pre>
 *
 * Each zone's name server is {@code ns1.<zone>} at this server's address.
 *
 * @since 0.2.0
 */
public final class PowerDnsExtension implements BeforeAllCallback, AfterAllCallback {

    private final InetAddress address = PowerDnsServer.freeLoopbackAddress();
    private final Map<String, List<String>> zones = new LinkedHashMap<>();
    private final Map<String, Map<String, InetAddress>> nameServers = new LinkedHashMap<>();
    private PowerDnsServer server;

    /** Makes the extension; PowerDNS starts before the test class's tests. */
    public PowerDnsExtension() {
    }

    /**
     * Adds a zone whose name server is {@code ns1.<zone>} at this server's address.
     *
     * @param zone    the zone, such as {@code example.test}
     * @param records more records, in the form {@link PowerDnsServer#createZone} takes
     * @return this extension
     */
    public PowerDnsExtension zone(String zone, String... records) {
        return zone(zone, Map.of("ns1." + zone, address), records);
    }

    /**
     * Adds a zone with its own name servers (another server may serve it too).
     *
     * @param zone        the zone
     * @param nameServers its name servers by host name (inside the zone) and address
     * @param records     more records
     * @return this extension
     */
    public PowerDnsExtension zone(String zone, Map<String, InetAddress> nameServers, String... records) {
        zones.put(zone, List.of(records));
        this.nameServers.put(zone, new LinkedHashMap<>(nameServers));
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = PowerDnsServer.start(address);
        zones.forEach((zone, records) -> server.createZone(zone, nameServers.get(zone), records));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    /** @return its loopback address (known before it starts) */
    public InetAddress address() {
        return address;
    }

    /** @return where its DNS service listens: its address, port 53 (known before it starts) */
    public InetSocketAddress dnsAddress() {
        return new InetSocketAddress(address, 53);
    }

    /** @return the running server */
    public PowerDnsServer server() {
        if (server == null) {
            throw new IllegalStateException("PowerDNS is not started: register the extension on a static field");
        }
        return server;
    }
}
