package dev.autocert4j.dns.providers;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.dns.internal.DnsApi;
import dev.autocert4j.dns.internal.Json;
import dev.autocert4j.dns.internal.JsonException;
import dev.autocert4j.spi.DnsProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TXT records through Cloudflare's API v4 with an API token: the zone's id is looked up by its name
 * (and remembered), records are listed by type, name and content, created, and deleted by id. Only
 * records whose name and content are exactly ours are ever deleted, whatever the list returns.
 */
final class CloudflareProvider implements DnsProvider {

    static final int TTL_SECONDS = 120;
    private static final String NAME = CloudflareProviderFactory.NAME;

    private final DnsApi api;
    private final Map<String, String> zoneIds = new ConcurrentHashMap<>();

    CloudflareProvider(DnsApi api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    @Override
    public void addTxtRecord(String zone, String name, String value) {
        String recordName = RecordInput.recordName(zone, name);
        RecordInput.txtValue(value);
        String zoneId = zoneId(RecordInput.dnsName(zone, "zone"));
        if (!recordIds(zoneId, recordName, value).isEmpty()) {
            return;
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("type", "TXT");
        record.put("name", recordName);
        record.put("content", value);
        record.put("ttl", TTL_SECONDS);
        api.send("POST", "/zones/" + DnsApi.segment(zoneId) + "/dns_records", record);
    }

    @Override
    public void removeTxtRecord(String zone, String name, String value) {
        String recordName = RecordInput.recordName(zone, name);
        RecordInput.txtValue(value);
        String zoneId = zoneId(RecordInput.dnsName(zone, "zone"));
        for (String id : recordIds(zoneId, recordName, value)) {
            api.send("DELETE", "/zones/" + DnsApi.segment(zoneId) + "/dns_records/" + DnsApi.segment(id), null);
        }
    }

    private String zoneId(String zone) {
        String known = zoneIds.get(zone);
        if (known != null) {
            return known;
        }
        for (Map<String, Object> found : results(api.get("/zones?name=" + DnsApi.segment(zone)), "the zones")) {
            if (zone.equalsIgnoreCase(Json.string(found, "name")) && Json.string(found, "id") != null) {
                String id = Json.string(found, "id");
                zoneIds.put(zone, id);
                return id;
            }
        }
        throw new AutoCertException("Cloudflare has no zone " + zone + " that the API token can see: add the zone to the"
                + " account, or give the token Zone:Read and DNS:Edit on it");
    }

    /** The ids of the TXT records at exactly this name with exactly this content. */
    private List<String> recordIds(String zoneId, String name, String value) {
        Object answer = api.get("/zones/" + DnsApi.segment(zoneId) + "/dns_records?type=TXT&name=" + DnsApi.segment(name)
                + "&content=" + DnsApi.segment(value) + "&per_page=100");
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> record : results(answer, "the DNS records")) {
            if ("TXT".equals(Json.string(record, "type")) && name.equalsIgnoreCase(Json.string(record, "name"))
                    && value.equals(Json.string(record, "content")) && Json.string(record, "id") != null) {
                ids.add(Json.string(record, "id"));
            }
        }
        return ids;
    }

    private List<Map<String, Object>> results(Object answer, String what) {
        try {
            List<Map<String, Object>> results = new ArrayList<>();
            for (Object result : Json.array(Json.asObject(answer, "the answer"), "result")) {
                results.add(Json.asObject(result, "an entry of " + what));
            }
            return results;
        } catch (JsonException e) {
            throw new AutoCertException("The " + NAME + " DNS API at " + api.baseUrl() + " answered a list of " + what
                    + " in an unexpected shape: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CloudflareProvider[" + api + "]";
    }
}
