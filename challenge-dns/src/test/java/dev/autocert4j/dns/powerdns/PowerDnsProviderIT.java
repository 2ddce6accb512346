package dev.autocert4j.dns.powerdns;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.dns.DnsProviders;
import dev.autocert4j.dns.internal.DnsApiException;
import dev.autocert4j.dns.internal.Json;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.testkit.DnsProviderContract;
import dev.autocert4j.testkit.PowerDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The powerdns provider against a real PowerDNS: the provider contract, read back through PowerDNS's own API. */
class PowerDnsProviderIT extends DnsProviderContract {

    @RegisterExtension
    static final PowerDnsExtension PDNS = new PowerDnsExtension().zone("example.test", "@ A 127.0.0.1");

    @TempDir
    static Path folder;

    static Path keyFile(String key) throws IOException {
        Path file = folder.resolve("pdns-" + key.hashCode() + ".key");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, key + "\n");
    }

    static DnsProvider provider(String apiKey) {
        try {
            return DnsProviders.create("powerdns", Map.of("api-url", PDNS.server().apiUrl().toString(),
                    "api-key-file", keyFile(apiKey).toString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected DnsProvider provider() {
        return provider(PDNS.server().apiKey());
    }

    @Override
    protected String zone() {
        return "example.test";
    }

    @Override
    protected Set<String> txtValuesAt(String name) {
        return txtValuesThroughTheApi(PDNS.server().api("GET", "/servers/localhost/zones/example.test.", null), name);
    }

    /** The TXT values at a name in a zone PowerDNS's API returned, unquoted. */
    static Set<String> txtValuesThroughTheApi(String zoneJson, String name) {
        Set<String> values = new LinkedHashSet<>();
        for (Object item : Json.array(Json.asObject(Json.parse(zoneJson), "zone"), "rrsets")) {
            Map<String, Object> rrset = Json.asObject(item, "rrset");
            if ("TXT".equals(rrset.get("type")) && (name + ".").equalsIgnoreCase((String) rrset.get("name"))) {
                Json.array(rrset, "records").forEach(record -> values.add(TxtContent.unquote(
                        Json.string(Json.asObject(record, "record"), "content"))));
            }
        }
        return values;
    }

    @Test
    void theValueIsStoredQuotedAsPowerDnsWantsIt() {
        provider().addTxtRecord("example.test", "quoted._acme-challenge.example.test", "a\"b\\c");

        assertThat(PDNS.server().api("GET", "/servers/localhost/zones/example.test.", null))
                .contains("\"content\": \"\\\"a\\\\\\\"b\\\\\\\\c\\\"\"");
    }

    @Test
    void aWrongKeyIsRefusedInOurOwnWords() {
        assertThatThrownBy(() -> provider("not-the-key").addTxtRecord("example.test", "x.example.test", "v"))
                .isInstanceOf(DnsApiException.class)
                .hasMessageStartingWith("The powerdns DNS API refused the credential: 'Unauthorized'; the key in"
                        + " api-key-file or api-key-variable is not the api-key PowerDNS is configured with")
                .hasMessageNotContaining("not-the-key");
    }

    @Test
    void aZoneThePowerDnsDoesNotHoldIsNamed() {
        assertThatThrownBy(() -> provider().addTxtRecord("other.test", "_acme-challenge.other.test", "v"))
                .isInstanceOf(DnsApiException.class)
                .hasMessageContaining("holds no zone other.test");
    }

    @Test
    void badSettingsAreRefusedBeforeAnyRequest() throws IOException {
        String key = keyFile("k").toString();
        assertThatThrownBy(() -> DnsProviders.create("powerdns", Map.of("api-url", "http://127.0.0.1:1/api/v1",
                "api-key-file", key))).isInstanceOf(InvalidInputException.class).hasMessageContaining("without /api/v1");
        assertThatThrownBy(() -> DnsProviders.create("powerdns", Map.of("api-url", "http://127.0.0.1:1")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("api-key-file");
        assertThatThrownBy(() -> DnsProviders.create("powerdns", Map.of("api-url", "http://127.0.0.1:1",
                "api-key-file", key, "api-key", "inline-secret")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("api-key is not a setting")
                .hasMessageNotContaining("inline-secret");
        Path shared = folder.resolve("shared.key");
        Files.writeString(shared, "k");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> DnsProviders.create("powerdns", Map.of("api-url", "http://127.0.0.1:1",
                "api-key-file", shared.toString()))).isInstanceOf(InvalidInputException.class);
    }
}
