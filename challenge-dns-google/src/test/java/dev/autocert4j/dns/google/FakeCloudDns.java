package dev.autocert4j.dns.google;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * Google Cloud DNS (v1) and Google's OAuth token endpoint, as their API references describe them, over
 * WireMock. The token endpoint takes a service account's signed JWT (RS256) and checks its signature with
 * the account's public key; the DNS API wants that token, lists managed zones by DNS name and record sets by
 * name and type, and applies a change atomically (a deletion must match the set exactly: 412, or 404 if
 * there is none; an addition must not find one: 409); changes are {@code pending} for a few reads, then
 * {@code done}. Errors are Google's JSON error documents.
 */
final class FakeCloudDns implements AutoCloseable {

    static final String PROJECT = "autocert4j-test";
    static final String CLIENT_EMAIL = "dns-01@autocert4j-test.iam.gserviceaccount.com";
    private static final String ACCESS_TOKEN = "ya29.autocert4j-test-token";
    private static final Pattern ZONES = Pattern.compile("/dns/v1/projects/([^/]+)/managedZones");
    private static final Pattern RRSETS = Pattern.compile("/dns/v1/projects/([^/]+)/managedZones/([^/]+)/rrsets");
    private static final Pattern CHANGES = Pattern.compile("/dns/v1/projects/([^/]+)/managedZones/([^/]+)/changes(?:/([^/]+))?");

    private final Gson gson = new Gson();
    private final WireMockServer server;
    private final KeyPair serviceAccountKey;
    private final Map<String, String> zones = new TreeMap<>();
    private final Map<String, Map<String, JsonObject>> recordSets = new TreeMap<>();
    private final Map<String, AtomicInteger> pendingReads = new TreeMap<>();
    private final AtomicInteger changeCount = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private volatile int pendingPolls;
    private volatile Runnable beforeNextChange = () -> { };

    FakeCloudDns() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            serviceAccountKey = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(new Api()));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withTransformers("cloud-dns")));
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    WireMockServer server() {
        return server;
    }

    /** @return a service account key file's JSON for the account this fake knows, or for another key */
    String serviceAccountKeyJson(boolean known) {
        KeyPair key = serviceAccountKey;
        if (!known) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                key = generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        JsonObject json = new JsonObject();
        json.addProperty("type", "service_account");
        json.addProperty("project_id", PROJECT);
        json.addProperty("private_key_id", "0123456789abcdef");
        json.addProperty("private_key", pem);
        json.addProperty("client_email", CLIENT_EMAIL);
        json.addProperty("client_id", "100000000000000000001");
        json.addProperty("token_uri", endpoint() + "token");
        return gson.toJson(json);
    }

    synchronized void addZone(String name, String dnsName) {
        zones.put(name, absolute(dnsName));
        recordSets.put(name, new TreeMap<>());
    }

    synchronized Set<String> txtValues(String zone, String name) {
        JsonObject set = recordSets.get(zone).get(absolute(name));
        if (set == null) {
            return Set.of();
        }
        Set<String> values = new LinkedHashSet<>();
        set.getAsJsonArray("rrdatas").forEach(value -> values.add(TxtStrings.unquote(value.getAsString())));
        return values;
    }

    /** Stores a TXT record set directly, as another writer would. */
    synchronized void putTxtRecordSet(String zone, String name, int ttl, String... values) {
        JsonObject set = new JsonObject();
        set.addProperty("kind", "dns#resourceRecordSet");
        set.addProperty("name", absolute(name));
        set.addProperty("type", "TXT");
        set.addProperty("ttl", ttl);
        JsonArray rrdatas = new JsonArray();
        for (String value : values) {
            rrdatas.add(TxtStrings.quote(value));
        }
        set.add("rrdatas", rrdatas);
        recordSets.get(zone).put(absolute(name), set);
    }

    void pendingPolls(int polls) {
        pendingPolls = polls;
    }

    /** Answers this many of the next DNS API requests with 429 RESOURCE_EXHAUSTED. */
    void rateLimitNext(int requests) {
        rateLimited.set(requests);
    }

    void beforeNextChange(Runnable action) {
        beforeNextChange = action;
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Api implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "cloud-dns";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            Request request = serveEvent.getRequest();
            String path = URI.create(request.getUrl()).getPath();
            String method = request.getMethod().getName();
            if (path.equals("/token") && method.equals("POST")) {
                return token(request.getBodyAsString());
            }
            if (!("Bearer " + ACCESS_TOKEN).equals(request.getHeader("Authorization"))) {
                return error(401, "UNAUTHENTICATED", "authError", "Request had invalid authentication credentials."
                        + " Expected OAuth 2 access token, login cookie or other valid authentication credential.");
            }
            if (rateLimited.getAndUpdate(count -> Math.max(0, count - 1)) > 0) {
                return error(429, "RESOURCE_EXHAUSTED", "rateLimitExceeded", "Quota exceeded for quota metric"
                        + " 'Write requests' and limit 'Write requests per minute' of service 'dns.googleapis.com'");
            }
            Matcher zonesPath = ZONES.matcher(path);
            Matcher rrsets = RRSETS.matcher(path);
            Matcher changes = CHANGES.matcher(path);
            synchronized (FakeCloudDns.this) {
                if (zonesPath.matches() && method.equals("GET")) {
                    return listZones(zonesPath.group(1), request.queryParameter("dnsName").firstValue());
                }
                if (rrsets.matches() && method.equals("GET") && knownZone(rrsets.group(1), rrsets.group(2))) {
                    return listRecordSets(rrsets.group(2), request.queryParameter("name").firstValue(),
                            request.queryParameter("type").firstValue());
                }
                if (changes.matches() && knownZone(changes.group(1), changes.group(2))) {
                    if (method.equals("POST") && changes.group(3) == null) {
                        Runnable action = beforeNextChange;
                        beforeNextChange = () -> { };
                        action.run();
                        return change(changes.group(2), gson.fromJson(request.getBodyAsString(), JsonObject.class));
                    }
                    if (method.equals("GET") && changes.group(3) != null) {
                        return getChange(changes.group(3));
                    }
                }
            }
            return error(404, "NOT_FOUND", "notFound", "The requested resource was not found: " + path);
        }
    }

    private boolean knownZone(String project, String zone) {
        return PROJECT.equals(project) && recordSets.containsKey(zone);
    }

    private ResponseDefinition token(String form) {
        Map<String, String> fields = new TreeMap<>();
        for (String pair : form.split("&")) {
            String[] parts = pair.split("=", 2);
            fields.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(fields.get("grant_type"))
                || !signedBy(fields.getOrDefault("assertion", ""), serviceAccountKey.getPublic())) {
            return json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
        }
        return json(200, "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
    }

    private static boolean signedBy(String jwt, PublicKey key) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private ResponseDefinition listZones(String project, String dnsName) {
        JsonArray list = new JsonArray();
        if (PROJECT.equals(project)) {
            zones.forEach((name, zoneDnsName) -> {
                if (dnsName == null || zoneDnsName.equals(absolute(dnsName))) {
                    JsonObject zone = new JsonObject();
                    zone.addProperty("kind", "dns#managedZone");
                    zone.addProperty("name", name);
                    zone.addProperty("dnsName", zoneDnsName);
                    zone.addProperty("id", String.valueOf(Math.abs(name.hashCode())));
                    zone.addProperty("visibility", "public");
                    list.add(zone);
                }
            });
        }
        JsonObject response = new JsonObject();
        response.addProperty("kind", "dns#managedZonesListResponse");
        response.add("managedZones", list);
        return json(200, gson.toJson(response));
    }

    private ResponseDefinition listRecordSets(String zone, String name, String type) {
        JsonArray list = new JsonArray();
        recordSets.get(zone).forEach((setName, set) -> {
            if ((name == null || setName.equals(absolute(name))) && (type == null || type.equals("TXT"))) {
                list.add(set.deepCopy());
            }
        });
        JsonObject response = new JsonObject();
        response.addProperty("kind", "dns#resourceRecordSetsListResponse");
        response.add("rrsets", list);
        return json(200, gson.toJson(response));
    }

    private ResponseDefinition change(String zone, JsonObject change) {
        Map<String, JsonObject> after = new TreeMap<>(recordSets.get(zone));
        JsonArray deletions = change.has("deletions") ? change.getAsJsonArray("deletions") : new JsonArray();
        JsonArray additions = change.has("additions") ? change.getAsJsonArray("additions") : new JsonArray();
        for (int i = 0; i < deletions.size(); i++) {
            JsonObject deletion = deletions.get(i).getAsJsonObject();
            String name = absolute(deletion.get("name").getAsString());
            JsonObject existing = after.get(name);
            if (existing == null) {
                return error(404, null, "notFound", "The 'entity.change.deletions[" + i + "]' resource named '" + name
                        + " (TXT)' does not exist.");
            }
            if (!sameSet(existing, deletion)) {
                return error(412, null, "conditionNotMet", "Precondition not met for 'entity.change.deletions[" + i + "]'");
            }
            after.remove(name);
        }
        for (int i = 0; i < additions.size(); i++) {
            JsonObject addition = additions.get(i).getAsJsonObject();
            String name = absolute(addition.get("name").getAsString());
            if (after.containsKey(name)) {
                return error(409, null, "alreadyExists", "The resource 'entity.change.additions[" + i + "]' named '"
                        + name + " (TXT)' already exists");
            }
            JsonObject stored = addition.deepCopy();
            stored.addProperty("kind", "dns#resourceRecordSet");
            after.put(name, stored);
        }
        recordSets.get(zone).clear();
        recordSets.get(zone).putAll(after);
        String id = String.valueOf(changeCount.incrementAndGet());
        pendingReads.put(id, new AtomicInteger(pendingPolls));
        JsonObject response = change.deepCopy();
        response.addProperty("kind", "dns#change");
        response.addProperty("id", id);
        response.addProperty("startTime", "2026-12-07T22:00:00.000Z");
        response.addProperty("status", pendingPolls > 0 ? "pending" : "done");
        return json(200, gson.toJson(response));
    }

    private ResponseDefinition getChange(String id) {
        AtomicInteger pending = pendingReads.get(id);
        if (pending == null) {
            return error(404, "NOT_FOUND", "notFound", "The 'parameters.changeId' resource named '" + id + "' does not exist.");
        }
        JsonObject response = new JsonObject();
        response.addProperty("kind", "dns#change");
        response.addProperty("id", id);
        response.addProperty("status", pending.getAndDecrement() > 0 ? "pending" : "done");
        return json(200, gson.toJson(response));
    }

    private static boolean sameSet(JsonObject stored, JsonObject given) {
        return stored.get("type").equals(given.get("type")) && stored.get("ttl").getAsInt() == given.get("ttl").getAsInt()
                && strings(stored.get("rrdatas")).equals(strings(given.get("rrdatas")));
    }

    private static List<String> strings(JsonElement array) {
        List<String> values = new ArrayList<>();
        array.getAsJsonArray().forEach(value -> values.add(value.getAsString()));
        return values.stream().sorted().collect(Collectors.toList());
    }

    private ResponseDefinition error(int code, String status, String reason, String message) {
        JsonObject item = new JsonObject();
        item.addProperty("message", message);
        item.addProperty("domain", "global");
        item.addProperty("reason", reason);
        JsonArray errors = new JsonArray();
        errors.add(item);
        JsonObject error = new JsonObject();
        error.addProperty("code", code);
        error.addProperty("message", message);
        error.add("errors", errors);
        if (status != null) {
            error.addProperty("status", status);
        }
        JsonObject body = new JsonObject();
        body.add("error", error);
        return json(code, gson.toJson(body));
    }

    private static ResponseDefinition json(int status, String body) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json; charset=UTF-8")
                .withBody(body).build();
    }

    private static String absolute(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }
}
