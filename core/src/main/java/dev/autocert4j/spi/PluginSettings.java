package dev.autocert4j.spi;

import dev.autocert4j.InvalidInputException;

import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings of one plugin, as text from a command line or a properties file, read with checks
 * that name the setting and the plugin. Secrets are never settings: a setting names the file that
 * holds one.
 *
 * @since 0.2.0
 */
public final class PluginSettings {

    private final String plugin;
    private final Map<String, String> values;

    private PluginSettings(String plugin, Map<String, String> values) {
        this.plugin = plugin;
        this.values = values;
    }

    /**
     * @param plugin the plugin's name, for messages
     * @param values the settings, by key
     * @return the settings
     */
    public static PluginSettings of(String plugin, Map<String, String> values) {
        Objects.requireNonNull(plugin, "plugin");
        Map<String, String> copy = new TreeMap<>();
        values.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key)));
        return new PluginSettings(plugin, copy);
    }

    /** @return the keys given */
    public Set<String> keys() {
        return Set.copyOf(values.keySet());
    }

    /**
     * @param key a setting
     * @return its value, stripped
     * @throws InvalidInputException if it is missing or blank
     */
    public String required(String key) {
        return optional(key).orElseThrow(() -> new InvalidInputException(key, null, "is required by the " + plugin
                + " plugin"));
    }

    /**
     * @param key a setting
     * @return its value, stripped, or empty if it is missing or blank
     */
    public Optional<String> optional(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /**
     * @param key a setting that names a file or folder
     * @return the path, or empty if the setting is missing
     * @throws InvalidInputException if it is not a path
     */
    public Optional<Path> path(String key) {
        Optional<String> text = optional(key);
        try {
            return text.map(Path::of);
        } catch (InvalidPathException e) {
            throw new InvalidInputException(key, text.get(), "is not a path: " + e.getReason());
        }
    }

    /**
     * @param key a setting holding {@code HOST:PORT}, the host in brackets if it is an IPv6 address
     * @return the address (not resolved yet), or empty if the setting is missing
     * @throws InvalidInputException if it is not HOST:PORT with a port from 1 to 65535
     */
    public Optional<InetSocketAddress> address(String key) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        int colon = text.get().lastIndexOf(':');
        String host = colon > 0 ? text.get().substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = colon > 0 ? Integer.parseInt(text.get().substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65_535) {
            throw new InvalidInputException(key, text.get(), "must be HOST:PORT, such as ns1.example.com:53");
        }
        return Optional.of(InetSocketAddress.createUnresolved(host, port));
    }

    /**
     * Reads a secret, such as an API token, from where the settings say it is: the file named by
     * {@code <name>-file} (which only its owner may read or change), or else the environment
     * variable named by {@code <name>-variable}. The secret itself is never a setting, so it never
     * shows in a command line, a properties file others read, or a log. A plugin that reads secret
     * {@code api-token} lists {@code api-token-file} and {@code api-token-variable} in its settings.
     *
     * @param name the secret's name, such as {@code api-token}
     * @return the secret, stripped, or empty if neither setting is given
     * @throws InvalidInputException if the file is missing, empty or readable by others, or the variable
     *                               is not set or empty (the message never holds the secret)
     */
    public Optional<String> secret(String name) {
        Optional<Path> file = path(name + "-file");
        if (file.isPresent()) {
            try {
                return Optional.of(OwnerOnlyFiles.readSecret(file.get(), name + " file"));
            } catch (java.io.IOException e) {
                throw new InvalidInputException(name + "-file", file.get().toString(), e.getMessage());
            }
        }
        Optional<String> variable = optional(name + "-variable");
        if (variable.isEmpty()) {
            return Optional.empty();
        }
        String value = System.getenv(variable.get());
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(name + "-variable", variable.get(), "names an environment variable that"
                    + " is not set or is empty");
        }
        return Optional.of(value.strip());
    }

    /**
     * Reads a secret the plugin cannot work without; see {@link #secret(String)}.
     *
     * @param name the secret's name, such as {@code api-token}
     * @return the secret
     * @throws InvalidInputException if it is not given, naming both settings that could give it
     */
    public String requiredSecret(String name) {
        return secret(name).orElseThrow(() -> new InvalidInputException(name + "-file", null, "or " + name
                + "-variable is required by the " + plugin + " plugin: the file or the environment variable that"
                + " holds the " + name));
    }

    /**
     * @param key          a setting holding a whole number
     * @param defaultValue the value when it is missing
     * @param min          the smallest value allowed
     * @param max          the largest value allowed
     * @return the number
     * @throws InvalidInputException if it is not a whole number within the bounds
     */
    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(text.get());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key, text.get(), "is not a whole number");
        }
        if (value < min || value > max) {
            throw new InvalidInputException(key, text.get(), "must be between " + min + " and " + max);
        }
        return value;
    }

    /**
     * Refuses settings the plugin does not read, which are most likely typos.
     *
     * @param known the settings the plugin reads
     * @return these settings
     * @throws InvalidInputException naming the first unknown setting and the known ones
     */
    public PluginSettings requireOnly(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidInputException(key, null, "is not a setting of the " + plugin + " plugin; it reads "
                        + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known))));
            }
        }
        return this;
    }

    @Override
    public String toString() {
        return plugin + " " + values.keySet(); // keys only: a value could be sensitive
    }
}
