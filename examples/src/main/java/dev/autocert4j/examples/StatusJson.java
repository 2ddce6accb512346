package dev.autocert4j.examples;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.CheckResult;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON the demo prints and keeps: a {@link CertificateStatus} as one object (instants in
 * ISO-8601, every value a string or null) and the one-shot commands' results. Scripts read
 * these field names, in this order. Written and read with Jackson's streaming API: these flat
 * objects need no object mapper, which would cost every one-shot command a fifth of a second of
 * CPU at start.
 */
final class StatusJson {

    /** Reads one object, each field once; a duplicated field makes the text unreadable rather than ambiguous. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private StatusJson() {
    }

    static String of(CertificateStatus status) {
        return write(fields(status));
    }

    /** A certificate's status after a check, with what the check did, the condition it left and why. */
    static String of(CheckResult.Outcome outcome) {
        Map<String, Object> fields = fields(outcome.status());
        fields.put("outcome", outcome.action().name().toLowerCase(Locale.ROOT));
        fields.put("condition", outcome.condition().name().toLowerCase(Locale.ROOT));
        fields.put("reason", outcome.reason());
        return write(fields);
    }

    /** What {@code rollover-account-key} prints: the account, which keeps its URL. */
    static String keyRolledOver(URI account) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("account", account.toString());
        fields.put("keyRolledOver", true);
        return write(fields);
    }

    /** What {@code unmanage} prints: the domain no longer renewed. */
    static String unmanaged(String domain) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("domain", domain);
        fields.put("managed", false);
        return write(fields);
    }

    private static Map<String, Object> fields(CertificateStatus status) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("domain", status.domain());
        fields.put("lastRenewed", status.lastRenewed());
        fields.put("notBefore", status.notBefore());
        fields.put("notAfter", status.notAfter());
        fields.put("serial", status.serialNumber());
        fields.put("issuer", status.issuer());
        fields.put("nextCheck", status.nextCheck());
        fields.put("lastAttempt", status.lastAttempt());
        fields.put("lastError", status.lastError());
        fields.put("installResult", status.installResult());
        fields.put("names", String.join(",", status.names()));
        fields.put("pausedUntil", status.pausedUntil().orElse(null));
        fields.put("renewalLockHolder", status.renewalLockHolder().map(holder -> holder.owner()).orElse(null));
        fields.put("renewalLockSince", status.renewalLockHolder().map(holder -> holder.since()).orElse(null));
        fields.put("certificateAuthority", status.certificateAuthority().orElse(null));
        fields.put("skippedAuthorities", status.skippedAuthorities().orElse(null));
        fields.put("certificateWarning", status.certificateWarning().orElse(null));
        return fields;
    }

    /** One object: booleans as JSON booleans, {@code null} as null, everything else as its text. */
    private static String write(Map<String, Object> fields) {
        StringWriter json = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(json)) {
            generator.writeStartObject();
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                generator.writeFieldName(field.getKey());
                if (field.getValue() == null) {
                    generator.writeNull();
                } else if (field.getValue() instanceof Boolean value) {
                    generator.writeBoolean(value);
                } else {
                    generator.writeString(field.getValue().toString());
                }
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return json.toString();
    }

    /**
     * Reads back one of these objects, such as a saved status.
     *
     * @param json one flat JSON object and nothing after it
     * @return its fields in order, each value as text ({@code null} for a JSON null)
     * @throws IOException if the text is not one flat JSON object
     */
    static Map<String, String> read(String json) throws IOException {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == null || value.isStructStart()) {
                    throw new IOException("the field " + name + " holds no single value");
                }
                fields.put(name, value == JsonToken.VALUE_NULL ? null : parser.getText());
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new IOException("more than one JSON object");
            }
            return fields;
        }
    }

    static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
