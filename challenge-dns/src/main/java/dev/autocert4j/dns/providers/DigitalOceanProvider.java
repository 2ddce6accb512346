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

/**
 * TXT records through DigitalOcean's API v2 with a personal access token: the domain's records are
 * listed by type and full name, created with the name relative to the domain, and deleted by id.
 * Only records whose name and data are exactly ours are ever deleted, whatever the list returns.
 */
final class DigitalOceanProvider implements DnsProvider {

    static final int TTL_SECONDS = 30;

    private final DnsApi api;

    DigitalOceanProvider(DnsApi api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    @Override
    public void addTxtRecord(String zone, String name, String value) {
        String recordName = RecordInput.recordName(zone, name);
        String domain = RecordInput.dnsName(zone, "zone");
        RecordInput.txtValue(value);
        if (!recordIds(domain, recordName, value).isEmpty()) {
            return;
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("type", "TXT");
        record.put("name", relative(recordName, domain));
        record.put("data", value);
        record.put("ttl", TTL_SECONDS);
        api.send("POST", "/domains/" + DnsApi.segment(domain) + "/records", record);
    }

    @Override
    public void removeTxtRecord(String zone, String name, String value) {
        String recordName = RecordInput.recordName(zone, name);
        String domain = RecordInput.dnsName(zone, "zone");
        RecordInput.txtValue(value);
        for (String id : recordIds(domain, recordName, value)) {
            api.send("DELETE", "/domains/" + DnsApi.segment(domain) + "/records/" + DnsApi.segment(id), null);
        }
    }

    /** DigitalOcean names records relative to the domain, the apex as {@code @}. */
    private static String relative(String name, String domain) {
        return name.equals(domain) ? "@" : name.substring(0, name.length() - domain.length() - 1);
    }

    private List<String> recordIds(String domain, String name, String value) {
        Object answer = api.get("/domains/" + DnsApi.segment(domain) + "/records?type=TXT&name=" + DnsApi.segment(name)
                + "&per_page=200");
        String relativeName = relative(name, domain);
        List<String> ids = new ArrayList<>();
        try {
            for (Object entry : Json.array(Json.asObject(answer, "the answer"), "domain_records")) {
                Map<String, Object> record = Json.asObject(entry, "a domain record");
                if ("TXT".equals(Json.string(record, "type")) && relativeName.equalsIgnoreCase(Json.string(record, "name"))
                        && value.equals(Json.string(record, "data")) && record.get("id") instanceof Number id) {
                    ids.add(String.valueOf(id.longValue()));
                }
            }
        } catch (JsonException e) {
            throw new AutoCertException("The " + DigitalOceanProviderFactory.NAME + " DNS API at " + api.baseUrl()
                    + " answered the list of records of " + domain + " in an unexpected shape: " + e.getMessage(), e);
        }
        return ids;
    }

    @Override
    public String toString() {
        return "DigitalOceanProvider[" + api + "]";
    }
}
