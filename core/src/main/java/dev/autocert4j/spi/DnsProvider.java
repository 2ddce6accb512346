package dev.autocert4j.spi;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Puts TXT records into a DNS zone and takes them out again: what DNS-01 needs from a DNS host.
 * The {@code challenge-dns} module does everything else once, for every provider: it finds the
 * zone (the closest enclosing zone with an SOA record) and hands it over, because most DNS APIs
 * address records by zone; it follows a CNAME at {@code _acme-challenge.<name>}; and it waits until
 * every authoritative server answers the value. A provider for a DNS API is a
 * {@link DnsProviderFactory} that makes one of these, registered in {@code module-info} and
 * {@code META-INF/services}; the test kit's {@code DnsProviderContract} checks it.
 *
 * <p>Both methods must be idempotent and must leave other TXT records of the same name alone: a
 * certificate for {@code example.com} and {@code *.example.com} needs two values at
 * {@code _acme-challenge.example.com} at once.
 *
 * @since 0.2.0
 */
public interface DnsProvider {

    /**
     * Adds a TXT record.
     *
     * @param zone  the zone, such as {@code example.com} (no trailing dot)
     * @param name  the record's full name, such as {@code _acme-challenge.portal.example.com}
     * @param value the text
     * @throws dev.autocert4j.AutoCertException if the DNS host refuses or cannot be reached
     */
    void addTxtRecord(String zone, String name, String value);

    /**
     * Removes a TXT record added before; removing one that is not there does nothing.
     *
     * @param zone  the zone
     * @param name  the record's full name
     * @param value the text
     * @throws dev.autocert4j.AutoCertException if the DNS host refuses or cannot be reached
     */
    void removeTxtRecord(String zone, String name, String value);

    /**
     * Says which servers see a change first, for the propagation wait: the server a dynamic
     * update went to, say. By default none, and the zone's name servers (its NS records) are asked.
     * They are also asked first for the zone itself, so while the zone is still being found the
     * argument is the record's name rather than its zone.
     *
     * @param zone the zone, or while the zone is being found, the record's name
     * @return the servers to ask directly, possibly none
     */
    default List<InetSocketAddress> authoritativeServers(String zone) {
        return List.of();
    }
}
