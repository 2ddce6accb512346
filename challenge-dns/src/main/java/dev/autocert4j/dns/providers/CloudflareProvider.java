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
 * (and remembered), records are listed by type, name and content, created, and deleted by id. The
 * content is sent as one quoted character string, as Cloudflare's reference asks for TXT records
 * (a record someone made unquoted is recognised too). Only records whose name and content are exactly
 * ours are ever deleted, whatever the list returns.
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
        record.put("content", quoted(value));
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
                + "&content=" + DnsApi.segment(quoted(value)) + "&per_page=100");
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> record : results(answer, "the DNS records")) {
            if ("TXT".equals(Json.string(record, "type")) && name.equalsIgnoreCase(Json.string(record, "name"))
                    && isOurs(Json.string(record, "content"), value) && Json.string(record, "id") != null) {
                ids.add(Json.string(record, "id"));
            }
        }
        return ids;
    }

    /** A TXT value as one RFC 1035 character string: in double quotes, with quotes and backslashes escaped. */
    static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static boolean isOurs(String content, String value) {
        return quoted(value).equals(content) || value.equals(content);
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
