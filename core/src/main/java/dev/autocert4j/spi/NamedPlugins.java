package dev.autocert4j.spi;

import dev.autocert4j.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds plugin factories by name with {@link ServiceLoader}, loudly: two factories of one kind
 * with the same name are an error naming both classes, and an unknown name is refused with the
 * names that are known.
 *
 * <pre>{@code
 * CertificateStore store = NamedPlugins.create(CertificateStoreFactory.class, "pkcs12",
 *         Map.of("folder", "/var/lib/portal/certificates"), getClass().getClassLoader());
 * }</pre>
 *
 * @since 0.2.0
 */
public final class NamedPlugins {

    private NamedPlugins() {
    }

    /**
     * @param kind        the kind of factory, such as {@code CertificateStoreFactory.class}
     * @param classLoader where to look
     * @return the factories of that kind, by name
     * @throws IllegalStateException if two share a name, or one cannot be loaded
     */
    public static <F extends PluginFactory<?>> Map<String, F> all(Class<F> kind, ClassLoader classLoader) {
        Objects.requireNonNull(kind, "kind");
        Map<String, F> byName = new TreeMap<>();
        for (F factory : load(kind, classLoader)) {
            F clash = byName.putIfAbsent(factory.name(), factory);
            if (clash != null) {
                throw new IllegalStateException("Two plugins are named '" + factory.name() + "' (" + kind.getSimpleName()
                        + "): " + clash.getClass().getName() + " and " + factory.getClass().getName()
                        + ". Remove one from the class path");
            }
        }
        return byName;
    }

    /**
     * @param kind        the kind of factory
     * @param name        its name, such as {@code pkcs12}
     * @param classLoader where to look
     * @return the factory
     * @throws InvalidInputException if no factory of that kind has the name (the message lists those that do exist)
     * @throws IllegalStateException if two share a name, or one cannot be loaded
     */
    public static <F extends PluginFactory<?>> F find(Class<F> kind, String name, ClassLoader classLoader) {
        Objects.requireNonNull(name, "name");
        Map<String, F> byName = all(kind, classLoader);
        F found = byName.get(name.strip());
        if (found == null) {
            throw new InvalidInputException(kind.getSimpleName().replace("Factory", "").toLowerCase(java.util.Locale.ROOT),
                    name, "is not a known plugin; the known ones are "
                    + (byName.isEmpty() ? "none (is its jar on the class path?)" : String.join(", ", byName.keySet())));
        }
        return found;
    }

    /**
     * Finds a factory by name and makes its plugin from settings, refusing settings it does not read.
     *
     * @param kind        the kind of factory
     * @param name        its name
     * @param settings    its settings
     * @param classLoader where to look
     * @return the plugin
     * @throws InvalidInputException if the name is unknown or a setting is unknown, missing or wrong
     */
    public static <T, F extends PluginFactory<T>> T create(Class<F> kind, String name, Map<String, String> settings,
                                                           ClassLoader classLoader) {
        F factory = find(kind, name, classLoader);
        return factory.create(PluginSettings.of(factory.name(), settings).requireOnly(factory.settings()));
    }

    private static <F> List<F> load(Class<F> kind, ClassLoader classLoader) {
        List<F> factories = new ArrayList<>();
        try {
            ServiceLoader.load(kind, Objects.requireNonNull(classLoader, "classLoader")).forEach(factories::add);
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("A plugin for " + kind.getName() + " cannot be loaded: " + e.getMessage(), e);
        }
        return factories;
    }
}
