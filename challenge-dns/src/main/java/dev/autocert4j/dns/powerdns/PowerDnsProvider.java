package dev.autocert4j.dns.powerdns;

import dev.autocert4j.dns.internal.DnsApi;
import dev.autocert4j.dns.internal.DnsApiException;
import dev.autocert4j.dns.internal.Json;
import dev.autocert4j.spi.DnsProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TXT records through PowerDNS Authoritative Server's HTTP API. PowerDNS changes a name's records as
 * a whole (PATCH with {@code REPLACE}), so adding or removing a value reads the name's TXT values,
 * changes only ours, and writes them all back; a lock per name keeps two challenges of this JVM from
 * losing each other's value. TXT content is sent quoted and names with their trailing dot, as
 * PowerDNS wants them.
 */
final class PowerDnsProvider implements DnsProvider {

    static final int TTL_SECONDS = 60;
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

    private final DnsApi api;
    private final String serverId;

    PowerDnsProvider(DnsApi api, String serverId) {
        this.api = Objects.requireNonNull(api, "api");
        this.serverId = Objects.requireNonNull(serverId, "serverId");
    }

    @Override
    public void addTxtRecord(String zone, String name, String value) {
        String fqdn = absolute(name);
        synchronized (lock(fqdn)) {
            RecordSet set = read(zone, fqdn);
            if (set.values().contains(value)) {
                return;
            }
            List<String> values = new ArrayList<>(set.values());
            values.add(value);
            write(zone, fqdn, values, set.ttl());
        }
    }

    @Override
    public void removeTxtRecord(String zone, String name, String value) {
        String fqdn = absolute(name);
        synchronized (lock(fqdn)) {
            RecordSet set = read(zone, fqdn);
            List<String> values = new ArrayList<>(set.values());
            if (!values.remove(value)) {
                return;
            }
            write(zone, fqdn, values, set.ttl());
        }
    }

    private Object lock(String fqdn) {
        return LOCKS.computeIfAbsent(api.baseUrl() + " " + fqdn.toLowerCase(Locale.ROOT), key -> new Object());
    }

    private record RecordSet(List<String> values, int ttl) {
    }

    private RecordSet read(String zone, String fqdn) {
        Object answer;
        try {
            answer = api.get(zonePath(zone) + "?rrset_name=" + DnsApi.segment(fqdn) + "&rrset_type=TXT");
        } catch (DnsApiException e) {
            if (e.status() == 404 || e.status() == 422) {
                throw new DnsApiException("PowerDNS (server-id " + serverId + ") holds no zone " + zone + ", which"
                        + " should hold " + fqdn + ": " + e.getMessage(), e.status(), null, e);
            }
            throw e;
        }
        for (Object item : Json.array(Json.asObject(answer, "PowerDNS's zone"), "rrsets")) {
            Map<String, Object> rrset = Json.asObject(item, "an rrset");
            if ("TXT".equals(Json.string(rrset, "type")) && fqdn.equalsIgnoreCase(Json.string(rrset, "name"))) {
                List<String> values = new ArrayList<>();
                for (Object record : Json.array(rrset, "records")) {
                    values.add(TxtContent.unquote(Json.string(Json.asObject(record, "a record"), "content")));
                }
                Object ttl = rrset.get("ttl");
                return new RecordSet(values, ttl instanceof Number number ? number.intValue() : TTL_SECONDS);
            }
        }
        return new RecordSet(List.of(), TTL_SECONDS);
    }

    private void write(String zone, String fqdn, List<String> values, int ttl) {
        Map<String, Object> rrset = new LinkedHashMap<>();
        rrset.put("name", fqdn);
        rrset.put("type", "TXT");
        if (values.isEmpty()) {
            rrset.put("changetype", "DELETE");
        } else {
            rrset.put("changetype", "REPLACE");
            rrset.put("ttl", ttl);
            rrset.put("records", values.stream()
                    .map(value -> Map.<String, Object>of("content", TxtContent.quote(value), "disabled", false)).toList());
        }
        api.send("PATCH", zonePath(zone), Map.of("rrsets", List.of(rrset)));
    }

    private String zonePath(String zone) {
        return "/servers/" + DnsApi.segment(serverId) + "/zones/" + DnsApi.segment(absolute(zone).replace("/", "=2F"));
    }

    static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    @Override
    public String toString() {
        return "PowerDnsProvider[" + api.baseUrl() + ", server " + serverId + "]";
    }
}
