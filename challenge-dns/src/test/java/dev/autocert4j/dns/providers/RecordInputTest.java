package dev.autocert4j.dns.providers;

import dev.autocert4j.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordInputTest {

    @Test
    void plainHttpIsTakenOnlyToThisMachine() {
        for (String local : new String[]{"http://127.0.0.1:8081", "http://127.1.2.3/api", "http://localhost:9/x",
                "http://[::1]:8080/", "https://dns.example.com/v1/"}) {
            assertThat(RecordInput.apiUrl("api-url", local).toString()).doesNotEndWith("/");
        }
        for (String remote : new String[]{"http://10.0.0.8", "http://127.0.0.1.attacker.example",
                "http://127.example.com", "http://localhost.attacker.example", "http://[::2]", "http://dns.example.com"}) {
            assertThatThrownBy(() -> RecordInput.apiUrl("api-url", remote)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("must use https");
        }
    }

    @Test
    void anApiUrlWithCredentialsQueryOrAnotherSchemeIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> RecordInput.apiUrl("api-url", "https://user:s3cret@dns.example.com"))
                .hasMessageContaining("must not hold a user").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RecordInput.apiUrl("url", "https://hook.example.com/dns?key=s3cret"))
                .hasMessageContaining("must not hold").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RecordInput.apiUrl("url", "file:///etc/passwd")).hasMessageContaining("https:// URL");
        assertThatThrownBy(() -> RecordInput.apiUrl("url", "dns.example.com")).hasMessageContaining("https:// URL");
    }

    @Test
    void recordNamesAreDnsNamesInsideTheirZone() {
        assertThat(RecordInput.recordName("Example.COM.", "_acme-challenge.Portal.example.com."))
                .isEqualTo("_acme-challenge.portal.example.com");
        assertThat(RecordInput.recordName("example.com", "example.com")).isEqualTo("example.com");
        for (String bad : new String[]{"a..example.com", "-a.example.com", "a b.example.com", "a/b.example.com",
                "a\n.example.com", "x".repeat(64) + ".example.com", ""}) {
            assertThatThrownBy(() -> RecordInput.recordName("example.com", bad)).isInstanceOf(InvalidInputException.class);
        }
        assertThatThrownBy(() -> RecordInput.recordName("example.com", "notexample.com"))
                .hasMessageContaining("is not inside the zone example.com");
    }

    @Test
    void valuesAreOnePrintableTxtString() {
        assertThat(RecordInput.txtValue("v=1 \"quoted\" text")).isEqualTo("v=1 \"quoted\" text");
        assertThatThrownBy(() -> RecordInput.txtValue("x".repeat(256))).hasMessageContaining("1 to 255 characters");
        assertThatThrownBy(() -> RecordInput.txtValue("a\u0000b")).hasMessageContaining("not printable ASCII");
        assertThatThrownBy(() -> RecordInput.txtValue("caf\u00e9")).hasMessageContaining("not printable ASCII");
    }
}
