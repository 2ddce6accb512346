package dev.autocert4j.dns.providers;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.NamedPlugins;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The REST and program providers are found by name, and registered the same way in module-info. */
class DnsProviderFactoriesTest {

    private static final Set<String> NAMES = Set.of("exec", "cloudflare", "digitalocean", "acme-dns", "webhook");

    @Test
    void eachIsFoundByItsName() {
        Map<String, DnsProviderFactory> all = NamedPlugins.all(DnsProviderFactory.class, getClass().getClassLoader());

        assertThat(all.keySet()).containsAll(NAMES);
        all.forEach((name, factory) -> assertThat(factory.name()).isEqualTo(name));
    }

    @Test
    void moduleInfoProvidesTheSameFactoriesAsMetaInfServices() throws Exception {
        ModuleDescriptor descriptor;
        try (var in = java.nio.file.Files.newInputStream(Path.of(ExecProviderFactory.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI()).resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        Set<String> declared = descriptor.provides().stream()
                .filter(p -> p.service().equals(DnsProviderFactory.class.getName()))
                .flatMap(p -> p.providers().stream()).collect(java.util.stream.Collectors.toSet());

        for (DnsProviderFactory factory : NamedPlugins.all(DnsProviderFactory.class, getClass().getClassLoader()).values()) {
            if (NAMES.contains(factory.name())) {
                assertThat(declared).contains(factory.getClass().getName());
            }
        }
    }

    @Test
    void aSettingTheProviderDoesNotReadIsRefusedNamingTheKnownOnes() {
        for (String name : NAMES) {
            assertThatThrownBy(() -> NamedPlugins.create(DnsProviderFactory.class, name, Map.of("api-tokn-file", "/x"),
                    getClass().getClassLoader()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("api-tokn-file is not a setting of the " + name + " plugin; it reads ");
        }
    }
}
