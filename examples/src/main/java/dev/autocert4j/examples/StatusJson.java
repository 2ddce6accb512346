package dev.autocert4j.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.CheckResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON the demo prints and keeps: a {@link CertificateStatus} as one object (instants in
 * ISO-8601, every value a string or null), the one-shot commands' results, and the admin page's
 * progress. Scripts read these field names, in this order.
 */
final class StatusJson {

    /** Reads one object and nothing after it: a saved status with more appended is not taken. */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private StatusJson() {
    }

    static String of(CertificateStatus status) {
        return write(fields(status));
    }

    /** A certificate's status after a check, with what the check did, the condition it left and why. */
    static String of(CheckResult.Outcome outcome) {
        ObjectNode fields = fields(outcome.status());
        fields.put("outcome", outcome.action().name().toLowerCase(Locale.ROOT));
        fields.put("condition", outcome.condition().name().toLowerCase(Locale.ROOT));
        fields.put("reason", outcome.reason());
        return write(fields);
    }

    /** What {@code rollover-account-key} prints: the account, which keeps its URL. */
    static String keyRolledOver(URI account) {
        ObjectNode fields = MAPPER.createObjectNode();
        fields.put("account", account.toString());
        fields.put("keyRolledOver", true);
        return write(fields);
    }

    /** What {@code unmanage} prints: the domain no longer renewed. */
    static String unmanaged(String domain) {
        ObjectNode fields = MAPPER.createObjectNode();
        fields.put("domain", domain);
        fields.put("managed", false);
        return write(fields);
    }

    /** The admin page's {@code state.json}: whether an action runs, its stage and its error. */
    static String progress(boolean running, String stage, String error) {
        ObjectNode fields = MAPPER.createObjectNode();
        fields.put("running", running);
        fields.put("stage", stage);
        fields.put("error", error);
        return write(fields);
    }

    private static ObjectNode fields(CertificateStatus status) {
        ObjectNode fields = MAPPER.createObjectNode();
        fields.put("domain", status.domain());
        fields.put("lastRenewed", text(status.lastRenewed()));
        fields.put("notBefore", text(status.notBefore()));
        fields.put("notAfter", text(status.notAfter()));
        fields.put("serial", status.serialNumber());
        fields.put("issuer", status.issuer());
        fields.put("nextCheck", text(status.nextCheck()));
        fields.put("lastAttempt", text(status.lastAttempt()));
        fields.put("lastError", status.lastError());
        fields.put("installResult", text(status.installResult()));
        fields.put("names", String.join(",", status.names()));
        fields.put("pausedUntil", text(status.pausedUntil().orElse(null)));
        fields.put("renewalLockHolder", status.renewalLockHolder().map(holder -> holder.owner()).orElse(null));
        fields.put("renewalLockSince", text(status.renewalLockHolder().map(holder -> holder.since()).orElse(null)));
        return fields;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String write(ObjectNode fields) {
        try {
            return MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of strings and booleans always writes
        }
    }

    /**
     * Reads back one of these objects, such as a saved status.
     *
     * @param json one JSON object
     * @return its fields in order, each value as text ({@code null} for a JSON null)
     * @throws IOException if the text is not one JSON object
     */
    static Map<String, String> read(String json) throws IOException {
        JsonNode tree = MAPPER.readTree(json);
        if (tree == null || !tree.isObject()) {
            throw new IOException("not a JSON object");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        tree.properties().forEach(field -> fields.put(field.getKey(),
                field.getValue().isNull() ? null : field.getValue().asText()));
        return fields;
    }

    static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
