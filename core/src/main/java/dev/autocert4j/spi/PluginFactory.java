package dev.autocert4j.spi;

import java.util.Set;

/**
 * Makes one kind of plugin from settings, so that a command line or a properties file can choose
 * it by name, as a JDBC URL chooses a driver. Implementations are found with
 * {@link java.util.ServiceLoader} through the sub-interface of their kind
 * ({@link CertificateStoreFactory}, {@link ChallengeSolverFactory}): register them in
 * {@code module-info} ({@code provides}) and in {@code META-INF/services}. They need a public
 * constructor without parameters and do nothing until {@link #create} is called.
 *
 * @param <T> what it makes
 * @since 0.2.0
 */
public interface PluginFactory<T> {

    /**
     * @return the name the plugin is chosen by, such as {@code pkcs12}: lower case, unique among the
     *         factories of its kind
     */
    String name();

    /** @return every setting it reads; any other is refused as a likely typo */
    Set<String> settings();

    /**
     * Makes the plugin.
     *
     * @param settings its settings, only those {@link #settings()} names
     * @return the plugin
     * @throws dev.autocert4j.InvalidInputException if a setting is missing or wrong, naming it
     */
    T create(PluginSettings settings);
}
