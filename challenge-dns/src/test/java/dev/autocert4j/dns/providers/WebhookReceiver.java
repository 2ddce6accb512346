package dev.autocert4j.dns.providers;

import dev.autocert4j.dns.internal.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A web hook as the {@code webhook} provider's documentation asks an admin to write one: it checks
 * the HMAC-SHA256 signature over the timestamp and the body (in constant time) and the timestamp's age,
 * then adds or removes exactly the value it is given.
 */
final class WebhookReceiver extends StatefulApiStub {

    /** One request as received. */
    record Received(String body, String timestamp, String signature) {
    }

    private final byte[] secret;
    private final Map<String, Set<String>> records = new HashMap<>();
    private final List<Received> received = new ArrayList<>();
    private Reply forced;

    WebhookReceiver(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    String url() {
        return baseUrl() + "/hooks/dns";
    }

    synchronized Set<String> txtValues(String name) {
        return new TreeSet<>(records.getOrDefault(name, Set.of()));
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Makes every later request with a valid signature fail with this answer. */
    synchronized void answerWith(int status, String json) {
        forced = reply(status, Json.parse(json));
    }

    @Override
    protected Reply handle(Request request) {
        String timestamp = request.header("X-Autocert4j-Timestamp");
        String signature = request.header("X-Autocert4j-Signature");
        received.add(new Received(request.body(), timestamp, signature));
        if (!request.method().equals("POST") || !request.path().equals("/hooks/dns")) {
            return reply(404, Map.of("message", "no such hook"));
        }
        if (!validSignature(timestamp, request.body(), signature)) {
            return reply(401, Map.of("message", "bad signature"));
        }
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
            return reply(401, Map.of("message", "stale timestamp"));
        }
        if (forced != null) {
            return forced;
        }
        apply(request.json());
        return reply(204, null);
    }

    private boolean validSignature(String timestamp, String body, String signature) {
        if (timestamp == null || signature == null || !timestamp.matches("[0-9]{1,12}")) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] expected = ("sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body)
                    .getBytes(StandardCharsets.UTF_8)))).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void apply(Map<String, Object> request) {
        String fqdn = Json.string(request, "fqdn");
        String name = fqdn.substring(0, fqdn.length() - 1);
        String value = Json.string(request, "value");
        switch (Json.string(request, "action")) {
            case "present" -> records.computeIfAbsent(name, n -> new TreeSet<>()).add(value);
            case "cleanup" -> records.getOrDefault(name, new TreeSet<>()).remove(value);
            default -> throw new IllegalArgumentException("unknown action");
        }
    }
}
