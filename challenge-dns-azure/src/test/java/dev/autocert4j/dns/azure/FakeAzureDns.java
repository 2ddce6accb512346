package dev.autocert4j.dns.azure;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.TestCertificates;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * Azure Resource Manager's DNS record sets (API version 2018-05-01), as the Azure DNS REST reference describes
 * them, over WireMock on HTTPS (the SDK sends a bearer token only over https): GET, PUT and DELETE of a TXT
 * record set by zone and relative name, each set with an ETag that {@code If-Match} and
 * {@code If-None-Match: *} are checked against (412 {@code PreconditionFailed}), and ARM's JSON error
 * documents: 401 {@code InvalidAuthenticationToken} for a token it does not know, 429
 * {@code SubscriptionRequestsThrottled} with {@code Retry-After} when asked to.
 */
final class FakeAzureDns implements AutoCloseable {

    static final String SUBSCRIPTION = "00000000-0000-0000-0000-00000000a4a4";
    static final String RESOURCE_GROUP = "dns-rg";
    static final String ACCESS_TOKEN = "eyJ0eXAiOiJKV1QifQ.autocert4j-test.token";
    private static final String PASSWORD = "wiremock";
    private static final Pattern RECORD_SET = Pattern.compile("/subscriptions/([^/]+)/resourceGroups/([^/]+)"
            + "/providers/Microsoft\\.Network/dnsZones/([^/]+)/TXT/([^/]+)", Pattern.CASE_INSENSITIVE);

    private final ObjectMapper json = new ObjectMapper();
    private final WireMockServer server;
    private final KeyStore trustStore;
    private final Map<String, Map<String, ObjectNode>> zones = new TreeMap<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile Runnable beforeNextWrite = () -> { };

    FakeAzureDns(Path folder) throws IOException, GeneralSecurityException {
        IssuedCertificate tls = TestCertificates.issued("localhost");
        Path keyStoreFile = folder.resolve("wiremock.p12");
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("wiremock", tls.privateKey(), PASSWORD.toCharArray(), tls.chain().toArray(new X509Certificate[0]));
        try (OutputStream out = Files.newOutputStream(keyStoreFile)) {
            keyStore.store(out, PASSWORD.toCharArray());
        }
        trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("wiremock", tls.leaf());
        server = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                .keystorePath(keyStoreFile.toString()).keystoreType("PKCS12")
                .keystorePassword(PASSWORD).keyManagerPassword(PASSWORD)
                .extensions(new Api()));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withTransformers("azure-dns")));
    }

    String endpoint() {
        return "https://localhost:" + server.httpsPort() + "/";
    }

    /** @return TLS that trusts this server's certificate, for the SDK's HTTP client */
    SSLContext clientTls() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    WireMockServer server() {
        return server;
    }

    synchronized void addZone(String name) {
        zones.put(name, new TreeMap<>());
    }

    synchronized Set<String> txtValues(String zone, String relativeName) {
        ObjectNode set = zones.get(zone).get(relativeName.toLowerCase(Locale.ROOT));
        Set<String> values = new LinkedHashSet<>();
        if (set != null) {
            set.path("properties").path("TXTRecords").forEach(record -> {
                StringBuilder value = new StringBuilder();
                record.path("value").forEach(part -> value.append(part.asText()));
                values.add(value.toString());
            });
        }
        return values;
    }

    /** Stores a TXT record set directly, as another writer would, with a new ETag. */
    synchronized void putTxtRecordSet(String zone, String relativeName, long ttl, String... values) {
        ObjectNode properties = json.createObjectNode();
        properties.put("TTL", ttl);
        ArrayNode records = properties.putArray("TXTRecords");
        for (String value : values) {
            records.addObject().putArray("value").add(value);
        }
        store(zone, relativeName, properties);
    }

    /** Answers this many of the next requests with 429 and a Retry-After of one second. */
    void throttleNext(int requests) {
        throttled.set(requests);
    }

    /** Runs once when the next PUT or DELETE arrives, before it is checked and applied. */
    void beforeNextWrite(Runnable action) {
        beforeNextWrite = action;
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Api implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "azure-dns";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            Request request = serveEvent.getRequest();
            if (!("Bearer " + ACCESS_TOKEN).equals(request.getHeader("Authorization"))) {
                return error(401, "InvalidAuthenticationToken", "The access token is invalid.");
            }
            if (throttled.getAndUpdate(count -> Math.max(0, count - 1)) > 0) {
                return ResponseDefinitionBuilder.like(error(429, "SubscriptionRequestsThrottled", "Number of"
                        + " 'write' requests for subscription '" + SUBSCRIPTION + "' actor 'autocert4j' exceeded."
                        + " Please try again after '1' seconds after additional tickets become available."))
                        .withHeader("Retry-After", "1").build();
            }
            URI uri = URI.create(request.getUrl());
            Matcher path = RECORD_SET.matcher(uri.getPath());
            if (!path.matches() || !"2018-05-01".equals(request.queryParameter("api-version").firstValue())) {
                return error(400, "InvalidResourceType", "No route or API version for " + request.getUrl());
            }
            String method = request.getMethod().getName();
            String zone = URLDecoder.decode(path.group(3), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            String name = URLDecoder.decode(path.group(4), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            synchronized (FakeAzureDns.this) {
                if (!SUBSCRIPTION.equals(path.group(1)) || !RESOURCE_GROUP.equalsIgnoreCase(path.group(2))
                        || !zones.containsKey(zone)) {
                    return error(404, "ParentResourceNotFound", "Can not perform requested operation on nested"
                            + " resource. Parent resource '" + zone + "' not found.");
                }
                if (!method.equals("GET")) {
                    Runnable action = beforeNextWrite;
                    beforeNextWrite = () -> { };
                    action.run();
                }
                ObjectNode existing = zones.get(zone).get(name);
                String ifMatch = request.getHeader("If-Match");
                String ifNoneMatch = request.getHeader("If-None-Match");
                boolean preconditionFails = ifMatch != null && (existing == null || !ifMatch.equals(existing.get("etag").asText()))
                        || "*".equals(ifNoneMatch) && existing != null;
                switch (method) {
                    case "GET":
                        return existing == null
                                ? error(404, "NotFound", "The resource record '" + name + "' does not exist in resource"
                                        + " group '" + RESOURCE_GROUP + "' of subscription '" + SUBSCRIPTION + "'.")
                                : ok(200, existing);
                    case "PUT":
                        if (preconditionFails) {
                            return preconditionFailed(name);
                        }
                        JsonNode body = read(request.getBodyAsString());
                        return ok(existing == null ? 201 : 200, store(zone, name, (ObjectNode) body.path("properties")));
                    case "DELETE":
                        if (existing == null) {
                            return new ResponseDefinitionBuilder().withStatus(204).build();
                        }
                        if (preconditionFails) {
                            return preconditionFailed(name);
                        }
                        zones.get(zone).remove(name);
                        return new ResponseDefinitionBuilder().withStatus(200).build();
                    default:
                        return error(405, "MethodNotAllowed", "The method " + method + " is not allowed");
                }
            }
        }
    }

    private ObjectNode store(String zone, String relativeName, ObjectNode given) {
        String name = relativeName.toLowerCase(Locale.ROOT);
        ObjectNode set = json.createObjectNode();
        set.put("id", "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + RESOURCE_GROUP
                + "/providers/Microsoft.Network/dnszones/" + zone + "/TXT/" + name);
        set.put("name", name);
        set.put("type", "Microsoft.Network/dnszones/TXT");
        set.put("etag", UUID.randomUUID().toString());
        ObjectNode properties = given.deepCopy();
        properties.put("fqdn", ("@".equals(name) ? zone : name + "." + zone) + ".");
        properties.put("provisioningState", "Succeeded");
        set.set("properties", properties);
        zones.get(zone).put(name, set);
        return set;
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ResponseDefinition preconditionFailed(String name) {
        return error(412, "PreconditionFailed", "The Record set " + name + " has been modified (etag mismatch).");
    }

    private ResponseDefinition ok(int status, ObjectNode body) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("ETag", body.get("etag").asText()).withBody(body.toString()).build();
    }

    private ResponseDefinition error(int status, String code, String message) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("x-ms-failure-cause", "gateway").withBody(body.toString()).build();
    }
}
