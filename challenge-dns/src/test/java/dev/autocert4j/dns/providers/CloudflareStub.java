package dev.autocert4j.dns.providers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cloudflare's API v4 for DNS records, as its public reference describes it: a bearer token, zones
 * listed by name, TXT records listed by type, name and content, created and deleted by id, and
 * every answer in the {@code success/errors/messages/result} envelope. An identical record is
 * refused (code 81058) as Cloudflare refuses it.
 */
final class CloudflareStub extends StatefulApiStub {

    static final String BASE_PATH = "/client/v4";
    private static final Pattern RECORDS = Pattern.compile(BASE_PATH + "/zones/([0-9a-f]{32})/dns_records");
    private static final Pattern RECORD = Pattern.compile(BASE_PATH + "/zones/([0-9a-f]{32})/dns_records/([0-9a-f]{32})");

    private record TxtRecord(String id, String zoneId, String name, String content, int ttl) {
    }

    private final String token;
    private final Map<String, String> zoneIds = new LinkedHashMap<>();
    private final Map<String, TxtRecord> records = new LinkedHashMap<>();
    private boolean ignoresContentFilter;

    CloudflareStub(String token, String... zones) {
        this.token = token;
        for (String zone : zones) {
            zoneIds.put(zone, hexId());
        }
    }

    /** @return the API's base URL for the provider's {@code api-url} setting */
    String apiUrl() {
        return baseUrl() + BASE_PATH;
    }

    synchronized String zoneId(String zone) {
        return zoneIds.get(zone);
    }

    /** Makes the list call ignore its {@code content} filter, as a changed API might. */
    synchronized void ignoreContentFilter() {
        ignoresContentFilter = true;
    }

    synchronized Set<String> txtValues(String name) {
        Set<String> values = new TreeSet<>();
        records.values().stream().filter(r -> r.name().equals(name)).forEach(r -> values.add(served(r.content())));
        return values;
    }

    synchronized void putForeignRecord(String zone, String name, String content) {
        TxtRecord record = new TxtRecord(hexId(), zoneIds.get(zone), name, content, 1);
        records.put(record.id(), record);
    }

    @Override
    protected Reply handle(Request request) {
        if (!("Bearer " + token).equals(request.header("Authorization"))) {
            return failure(403, 10000, "Authentication error");
        }
        Matcher record = RECORD.matcher(request.path());
        Matcher list = RECORDS.matcher(request.path());
        if (request.method().equals("GET") && request.path().equals(BASE_PATH + "/zones")) {
            return listZones(request.query().get("name"));
        }
        if (list.matches() && zoneIds.containsValue(list.group(1))) {
            return switch (request.method()) {
                case "GET" -> listRecords(list.group(1), request.query());
                case "POST" -> create(list.group(1), request.json());
                default -> failure(405, 10405, "Method not allowed");
            };
        }
        if (record.matches() && request.method().equals("DELETE")) {
            TxtRecord removed = records.get(record.group(2));
            if (removed == null || !removed.zoneId().equals(record.group(1))) {
                return failure(404, 81044, "Record does not exist.");
            }
            records.remove(removed.id());
            return success(Map.of("id", removed.id()));
        }
        return failure(404, 7003, "Could not route to " + request.path() + ", perhaps your object identifier is invalid?");
    }

    private Reply listZones(String name) {
        List<Object> result = new ArrayList<>();
        zoneIds.forEach((zone, id) -> {
            if (name == null || name.equals(zone)) {
                result.add(Map.of("id", id, "name", zone, "status", "active"));
            }
        });
        return list(result);
    }

    private Reply listRecords(String zoneId, Map<String, String> query) {
        List<Object> result = new ArrayList<>();
        for (TxtRecord record : records.values()) {
            if (record.zoneId().equals(zoneId) && matches(query.get("type"), "TXT") && matches(query.get("name"), record.name())
                    && (ignoresContentFilter || matches(query.get("content"), record.content()))) {
                result.add(json(record));
            }
        }
        return list(result);
    }

    private Reply create(String zoneId, Map<String, Object> body) {
        if (!"TXT".equals(body.get("type")) || !(body.get("name") instanceof String name)
                || !(body.get("content") instanceof String content)) {
            return failure(400, 9005, "Content for TXT record is invalid.");
        }
        for (TxtRecord existing : records.values()) {
            if (existing.name().equals(name) && existing.content().equals(content)) {
                return failure(400, 81058, "An identical record already exists.");
            }
        }
        int ttl = body.get("ttl") instanceof Number number ? number.intValue() : 1;
        TxtRecord record = new TxtRecord(hexId(), zoneId, name, content, ttl);
        records.put(record.id(), record);
        return success(json(record));
    }

    private Map<String, Object> json(TxtRecord record) {
        String zone = zoneIds.entrySet().stream().filter(e -> e.getValue().equals(record.zoneId())).findFirst()
                .orElseThrow().getKey();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", record.id());
        json.put("zone_id", record.zoneId());
        json.put("zone_name", zone);
        json.put("name", record.name());
        json.put("type", "TXT");
        json.put("content", record.content());
        json.put("proxiable", false);
        json.put("proxied", false);
        json.put("ttl", record.ttl());
        json.put("locked", false);
        return json;
    }

    /**
     * What DNS serves for a TXT record's content: quoted character strings joined (with their
     * escapes undone), or unquoted content as it is, which Cloudflare takes with a warning.
     */
    static String served(String content) {
        if (!content.startsWith("\"")) {
            return content;
        }
        StringBuilder text = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '"') {
                inString = !inString;
            } else if (inString && c == '\\' && i + 1 < content.length()) {
                text.append(content.charAt(++i));
            } else if (inString) {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static boolean matches(String filter, String value) {
        return filter == null || Objects.equals(filter, value);
    }

    private static Reply success(Object result) {
        return reply(200, Map.of("success", true, "errors", List.of(), "messages", List.of(), "result", result));
    }

    private static Reply list(List<Object> result) {
        return reply(200, Map.of("success", true, "errors", List.of(), "messages", List.of(), "result", result,
                "result_info", Map.of("page", 1, "per_page", 100, "count", result.size(), "total_count", result.size(),
                        "total_pages", 1)));
    }

    static Map<String, Object> error(int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("errors", List.of(Map.of("code", code, "message", message)));
        body.put("messages", List.of());
        body.put("result", null);
        return body;
    }

    private static Reply failure(int status, int code, String message) {
        return reply(status, error(code, message));
    }

    private static String hexId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
