package dev.autocert4j.dns;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.ChallengeSolverFactory;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.NamedPlugins;
import dev.autocert4j.spi.PluginSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DnsProvidersTest {

    @TempDir
    Path folder;

    /** A provider factory the tests register under a name another one also claims. */
    public static final class ClashingFactory implements DnsProviderFactory {
        @Override
        public String name() {
            return "powerdns";
        }

        @Override
        public Set<String> settings() {
            return Set.of();
        }

        @Override
        public DnsProvider create(PluginSettings settings) {
            throw new AssertionError("never made");
        }
    }

    /** A provider whose settings take the dns-01 solver's own names. */
    public static final class GreedyFactory implements DnsProviderFactory {
        @Override
        public String name() {
            return "greedy";
        }

        @Override
        public Set<String> settings() {
            return Set.of("zone");
        }

        @Override
        public DnsProvider create(PluginSettings settings) {
            throw new AssertionError("never made");
        }
    }

    private ClassLoader withServices(String... factories) throws Exception {
        Path services = Files.createDirectories(folder.resolve("META-INF/services"));
        Files.writeString(services.resolve(DnsProviderFactory.class.getName()), String.join("\n", factories) + "\n");
        return new URLClassLoader(new URL[]{folder.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void theProvidersOfThisModuleAreKnownByName() {
        assertThat(DnsProviders.names(getClass().getClassLoader())).contains("powerdns", "rfc2136");
        assertThat(DnsProviders.settingsOf("powerdns", getClass().getClassLoader()))
                .containsExactlyInAnyOrder("api-url", "api-key-file", "api-key-variable", "server-id");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> DnsProviders.create("powerdsn", Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'powerdsn' is not a known plugin; the known ones are ")
                .hasMessageContaining("powerdns").hasMessageContaining("rfc2136");
    }

    @Test
    void twoProvidersWithOneNameAreAnErrorNamingBothClasses() throws Exception {
        ClassLoader loader = withServices(ClashingFactory.class.getName());

        assertThatThrownBy(() -> DnsProviders.create("powerdns", Map.of(), loader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dev.autocert4j.dns.powerdns.PowerDnsProviderFactory")
                .hasMessageContaining(ClashingFactory.class.getName());
    }

    @Test
    void anUnknownSettingIsNamed() {
        assertThatThrownBy(() -> DnsProviders.create("powerdns", Map.of("api-url", "http://127.0.0.1:1", "apikey", "x")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("apikey is not a setting of the powerdns plugin");
    }

    @Test
    void theDns01SolverRefusesASettingNeitherItNorItsProviderReads() {
        assertThatThrownBy(() -> NamedPlugins.create(ChallengeSolverFactory.class, "dns-01", Map.of("provider", "rfc2136",
                "server", "127.0.0.1:53", "api-url", "http://127.0.0.1:1"), getClass().getClassLoader()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("api-url is not a setting of the rfc2136 DNS provider or the dns-01 solver")
                .hasMessageContaining("server, tsig-file, zone");
    }

    @Test
    void theDns01SolverNeedsAProviderAndNamesAMissingSetting() {
        assertThatThrownBy(() -> NamedPlugins.create(ChallengeSolverFactory.class, "dns-01", Map.of(),
                getClass().getClassLoader())).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("provider is required");
        assertThatThrownBy(() -> NamedPlugins.create(ChallengeSolverFactory.class, "dns-01", Map.of("provider",
                "powerdns"), getClass().getClassLoader())).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("api-url is required by the powerdns plugin");
    }

    @Test
    void theDns01SolverChecksItsOwnSettings() {
        for (Map<String, String> bad : java.util.List.of(
                Map.of("resolver", "127.0.0.1:53,nonsense"),
                Map.of("propagation-timeout", "0"),
                Map.of("authoritative-port", "70000"),
                Map.of("zone", ".example.test"))) {
            Map<String, String> settings = new java.util.HashMap<>(bad);
            settings.put("provider", "rfc2136");
            assertThatThrownBy(() -> NamedPlugins.create(ChallengeSolverFactory.class, "dns-01", settings,
                    getClass().getClassLoader())).as(bad.toString()).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining(bad.keySet().iterator().next());
        }
    }

    @Test
    void aProviderThatTakesTheSolversSettingNamesIsRefusedLoudly() throws Exception {
        ClassLoader loader = withServices(GreedyFactory.class.getName());
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            assertThatThrownBy(() -> new Dns01SolverFactory().create(PluginSettings.of("dns-01", Map.of("provider",
                    "greedy")))).isInstanceOf(IllegalStateException.class).hasMessageContaining(GreedyFactory.class.getName())
                    .hasMessageContaining("[zone]");
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void severalResolversAreTakenInOrder() {
        assertThat(Dns01SolverFactory.resolvers(PluginSettings.of("dns-01", Map.of("resolver",
                "127.0.0.2:53, 127.0.0.3:5353"))))
                .extracting(Object::toString).containsExactly("/127.0.0.2:53", "/127.0.0.3:5353");
    }
}
