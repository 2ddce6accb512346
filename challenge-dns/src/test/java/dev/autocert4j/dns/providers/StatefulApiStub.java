package dev.autocert4j.dns.providers;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.autocert4j.dns.internal.Json;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A WireMock server that plays a DNS provider's API with state: every request that no test-specific
 * stub catches (those come first, for faults such as a 429) goes to {@link #handle}, which keeps the
 * records a real API would keep, so a provider can be checked end to end through the contract.
 */
abstract class StatefulApiStub implements AutoCloseable {

    private static final String TRANSFORMER = "stateful-dns-api";

    /** One request, as the handler sees it. */
    record Request(String method, String path, Map<String, String> query, String body, LoggedRequest raw) {
        String header(String name) {
            return raw.containsHeader(name) ? raw.getHeader(name) : null;
        }

        Map<String, Object> json() {
            return Json.asObject(Json.parse(body), "the body");
        }
    }

    /** One answer: a status and a JSON body ({@code null} for none). */
    record Reply(int status, Object json) {
    }

    private final WireMockServer server;

    StatefulApiStub() {
        server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort()
                .extensions(new Transformer()));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().withTransformers(TRANSFORMER)));
    }

    /**
     * Answers a request no fault stub caught.
     *
     * @param request the request
     * @return the answer
     */
    protected abstract Reply handle(Request request);

    /** @return the server, to add fault stubs (at a priority below 100) and to verify requests */
    WireMockServer server() {
        return server;
    }

    /** @return its address, such as {@code http://127.0.0.1:41234} */
    String baseUrl() {
        return server.baseUrl();
    }

    /** @return every request it received, oldest first */
    List<LoggedRequest> requests() {
        List<LoggedRequest> requests = new java.util.ArrayList<>(server.getAllServeEvents().stream()
                .map(ServeEvent::getRequest).toList());
        java.util.Collections.reverse(requests);
        return requests;
    }

    @Override
    public void close() {
        server.stop();
    }

    static Reply reply(int status, Object json) {
        return new Reply(status, json);
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            LoggedRequest raw = event.getRequest();
            URI uri = URI.create(raw.getUrl());
            Reply reply;
            synchronized (StatefulApiStub.this) {
                reply = handle(new Request(raw.getMethod().getName(), URLDecoder.decode(uri.getRawPath(),
                        StandardCharsets.UTF_8), query(uri.getRawQuery()), raw.getBodyAsString(), raw));
            }
            ResponseDefinitionBuilder answer = ResponseDefinitionBuilder.responseDefinition().withStatus(reply.status());
            if (reply.json() != null) {
                answer.withHeader("Content-Type", "application/json").withBody(Json.write(reply.json()));
            }
            return answer.build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return TRANSFORMER;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                query.put(key, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }
}
