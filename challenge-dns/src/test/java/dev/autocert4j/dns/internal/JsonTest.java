package dev.autocert4j.dns.internal;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void readsEveryKindOfValue() {
        Object value = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"d\"}, \"e\": \"\"} ");

        Map<String, Object> object = Json.asObject(value, "answer");
        assertThat(object).containsOnlyKeys("a", "b", "e");
        assertThat(Json.array(object, "a")).containsExactly(new BigDecimal("1"), new BigDecimal("-2.5e3"), true, false,
                null);
        assertThat(Json.string(Json.asObject(object.get("b"), "b"), "c")).isEqualTo("d");
        assertThat(Json.string(object, "e")).isEmpty();
    }

    @Test
    void readsEscapesInStrings() {
        assertThat(Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20AC\"")).isEqualTo("q\" b\\ s/ \b\f\n\r\t é€");
    }

    @Test
    void refusesWhatIsNotStrictJson() {
        for (String bad : List.of("", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "{a:1}", "01", "1.", "-", ".5", "1e",
                "tru", "nul", "\"unterminated", "\"tab\there\"", "\"\\x\"", "\"\\u12\"", "{\"a\":1} x",
                "// comment\n1", "[1 2]", "{\"a\" 1}", "NaN", "+1")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(JsonException.class);
        }
    }

    @Test
    void refusesAKeyGivenTwice() {
        assertThatThrownBy(() -> Json.parse("{\"content\":\"ours\",\"content\":\"theirs\"}"))
                .isInstanceOf(JsonException.class).hasMessageContaining("'content' twice");
    }

    @Test
    void refusesDeepNestingWithoutOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(JsonException.class).hasMessageContaining("deeper");
        String allowed = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(allowed)).isInstanceOf(List.class);
    }

    @Test
    void refusesTextLongerThanTheBound() {
        String huge = "\"" + "a".repeat(Json.MAX_LENGTH) + "\"";
        assertThatThrownBy(() -> Json.parse(huge)).isInstanceOf(JsonException.class).hasMessageContaining("longer");
    }

    @Test
    void refusesAnOverlongNumber() {
        assertThatThrownBy(() -> Json.parse("1" + "0".repeat(200))).isInstanceOf(JsonException.class);
    }

    @Test
    void writesWhatItReadsBack() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "_acme-challenge.example.com.");
        value.put("content", "\"quoted\" \\ \n\u0001\u2028");
        value.put("ttl", 60);
        value.put("records", Arrays.asList(Map.of("disabled", false), null));

        String json = Json.write(value);

        assertThat(json).startsWith("{\"name\":\"_acme-challenge.example.com.\",\"content\":\"\\\"quoted\\\" \\\\ \\n"
                + "\\u0001\\u2028\",\"ttl\":60,");
        Map<String, Object> back = Json.asObject(Json.parse(json), "back");
        assertThat(back.get("content")).isEqualTo(value.get("content"));
        assertThat(back.get("ttl")).isEqualTo(new BigDecimal(60));
    }

    @Test
    void refusesToWriteWhatJsonCannotHold() {
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(Map.of(1, "a"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void saysWhichShapeWasExpected() {
        Map<String, Object> object = Json.asObject(Json.parse("{\"a\":1}"), "zone");
        assertThatThrownBy(() -> Json.string(object, "a")).hasMessageContaining("'a' is not a string");
        assertThatThrownBy(() -> Json.asArray(object, "zone")).hasMessageContaining("zone is not a JSON array");
        assertThat(Json.array(object, "missing")).isEmpty();
    }
}
