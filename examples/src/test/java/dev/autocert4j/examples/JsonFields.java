package dev.autocert4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The fields of a JSON line the demo printed, for the tests. */
final class JsonFields {

    private JsonFields() {
    }

    /**
     * @param json one JSON object, as the demo prints it
     * @return its fields as text, {@code null} for a JSON null
     */
    static Map<String, String> of(String json) {
        try {
            return StatusJson.read(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON object: " + json, e);
        }
    }
}
