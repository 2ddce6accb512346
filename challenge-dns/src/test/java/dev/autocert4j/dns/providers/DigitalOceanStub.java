package dev.autocert4j.dns.providers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DigitalOcean's API v2 for domain records, as its public reference describes it: a bearer token,
 * records of a domain listed with the {@code type} and {@code name} (full name) filters and answered
 * with names relative to the domain ({@code @} for the apex), created with 201 and deleted by id with
 * 204; errors are {@code {"id": ..., "message": ...}}.
 */
final class DigitalOceanStub extends StatefulApiStub {

    static final String BASE_PATH = "/v2";
    private static final Pattern RECORDS = Pattern.compile(BASE_PATH + "/domains/([^/]+)/records");
    private static final Pattern RECORD = Pattern.compile(BASE_PATH + "/domains/([^/]+)/records/([0-9]+)");

    private record DomainRecord(long id, String domain, String name, String data, int ttl) {
        String fullName() {
            return name.equals("@") ? domain : name + "." + domain;
        }
    }

    private final String token;
    private final Set<String> domains;
    private final Map<Long, DomainRecord> records = new LinkedHashMap<>();
    private long nextId = 28_448_429;

    DigitalOceanStub(String token, String... domains) {
        this.token = token;
        this.domains = Set.of(domains);
    }

    String apiUrl() {
        return baseUrl() + BASE_PATH;
    }

    synchronized Set<String> txtValues(String name) {
        Set<String> values = new TreeSet<>();
        records.values().stream().filter(r -> r.fullName().equals(name)).forEach(r -> values.add(r.data()));
        return values;
    }

    @Override
    protected Reply handle(Request request) {
        if (!("Bearer " + token).equals(request.header("Authorization"))) {
            return failure(401, "Unauthorized", "Unable to authenticate you");
        }
        Matcher list = RECORDS.matcher(request.path());
        Matcher one = RECORD.matcher(request.path());
        if (list.matches() && domains.contains(list.group(1))) {
            return switch (request.method()) {
                case "GET" -> list(list.group(1), request.query());
                case "POST" -> create(list.group(1), request.json());
                default -> failure(405, "method_not_allowed", "Method Not Allowed");
            };
        }
        if (one.matches() && request.method().equals("DELETE")) {
            DomainRecord record = records.get(Long.parseLong(one.group(2)));
            if (record == null || !record.domain().equals(one.group(1))) {
                return failure(404, "not_found", "The resource you were accessing could not be found.");
            }
            records.remove(record.id());
            return reply(204, null);
        }
        return failure(404, "not_found", "The resource you were accessing could not be found.");
    }

    private Reply list(String domain, Map<String, String> query) {
        List<Object> found = new ArrayList<>();
        for (DomainRecord record : records.values()) {
            if (record.domain().equals(domain) && (query.get("type") == null || query.get("type").equals("TXT"))
                    && (query.get("name") == null || query.get("name").equals(record.fullName()))) {
                found.add(json(record));
            }
        }
        return reply(200, Map.of("domain_records", found, "links", Map.of(), "meta", Map.of("total", found.size())));
    }

    private Reply create(String domain, Map<String, Object> body) {
        if (!"TXT".equals(body.get("type")) || !(body.get("name") instanceof String name) || name.endsWith(".")
                || !(body.get("data") instanceof String data)) {
            return failure(422, "unprocessable_entity", "Data needs to be a valid TXT record.");
        }
        int ttl = body.get("ttl") instanceof Number number ? number.intValue() : 1800;
        if (ttl < 30) {
            return failure(422, "unprocessable_entity", "Ttl must be greater than or equal to 30.");
        }
        DomainRecord record = new DomainRecord(nextId++, domain, name, data, ttl);
        records.put(record.id(), record);
        return reply(201, Map.of("domain_record", json(record)));
    }

    private static Map<String, Object> json(DomainRecord record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", record.id());
        json.put("type", "TXT");
        json.put("name", record.name());
        json.put("data", record.data());
        json.put("priority", null);
        json.put("port", null);
        json.put("ttl", record.ttl());
        json.put("weight", null);
        json.put("flags", null);
        json.put("tag", null);
        return json;
    }

    static Map<String, Object> error(String id, String message) {
        return Map.of("id", id, "message", message);
    }

    private static Reply failure(int status, String id, String message) {
        return reply(status, error(id, message));
    }
}
