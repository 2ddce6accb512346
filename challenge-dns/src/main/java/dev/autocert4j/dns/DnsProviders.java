package dev.autocert4j.dns;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.NamedPlugins;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Makes a {@link DnsProvider} chosen by name, such as {@code powerdns}, from a map of its settings,
 * through the {@link DnsProviderFactory} plugins on the class path (this module's own and those of
 * {@code challenge-dns-route53}, {@code -azure}, {@code -google} or any other jar).
 *
 * <pre>{@code
 * DnsProvider dns = DnsProviders.create("powerdns", Map.of("api-url", "http://127.0.0.1:8081",
 *         "api-key-file", "/etc/portal/pdns.key"));
 * }</pre>
 *
 * @since 0.2.0
 */
public final class DnsProviders {

    private DnsProviders() {
    }

    /**
     * Makes a provider, looking in this module's class loader.
     *
     * @param name     the provider's name, such as {@code powerdns}
     * @param settings its settings (secrets by the file or environment variable that holds them)
     * @return the provider
     * @throws InvalidInputException if the name is unknown (the message lists the known ones), or a
     *                               setting is unknown, missing or wrong (the message names it)
     * @throws IllegalStateException if two providers share the name (the message names both classes)
     */
    public static DnsProvider create(String name, Map<String, String> settings) {
        return create(name, settings, DnsProviders.class.getClassLoader());
    }

    /**
     * Makes a provider, looking in a given class loader.
     *
     * @param name        the provider's name
     * @param settings    its settings
     * @param classLoader where to look for providers
     * @return the provider
     * @throws InvalidInputException if the name or a setting is unknown, or a setting is missing or wrong
     * @throws IllegalStateException if two providers share the name
     */
    public static DnsProvider create(String name, Map<String, String> settings, ClassLoader classLoader) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(settings, "settings");
        return NamedPlugins.create(DnsProviderFactory.class, name, settings, classLoader);
    }

    /**
     * @param classLoader where to look
     * @return the names of the providers found, sorted
     * @throws IllegalStateException if two providers share a name
     */
    public static Set<String> names(ClassLoader classLoader) {
        return NamedPlugins.all(DnsProviderFactory.class, classLoader).keySet();
    }

    /**
     * @param name        a provider's name
     * @param classLoader where to look
     * @return the settings it reads
     * @throws InvalidInputException if the name is unknown
     */
    public static Set<String> settingsOf(String name, ClassLoader classLoader) {
        return NamedPlugins.find(DnsProviderFactory.class, name, classLoader).settings();
    }
}
