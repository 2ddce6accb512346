package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.CertificateStoreFactory;
import dev.autocert4j.spi.OwnerOnlyFiles;
import dev.autocert4j.spi.PluginSettings;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * The database store shared by a cluster, by the name {@code jdbc}. Settings:
 * <ul>
 *   <li>{@code url} (required): {@code jdbc:postgresql://...} or {@code jdbc:mariadb://...}, with the
 *       user but never a password (a URL ends up in process lists and logs);</li>
 *   <li>{@code password-file}: a file only its owner can read that holds the database password; or
 *       {@code password-variable}: the name of the environment variable that holds it (the file wins);</li>
 *   <li>{@code key-file} (required): the {@link StoreKey} file, made (0600) when it does not exist
 *       yet; every node of the cluster needs a copy;</li>
 *   <li>{@code local-copy}: a folder where the node keeps what it serves while the database is down;</li>
 *   <li>{@code node-name} and {@code lease-length} (ISO-8601, e.g. {@code PT2M}): as on
 *       {@link JdbcCertificateStore.Builder}.</li>
 * </ul>
 * It opens one connection per use through the driver on the class path; a host with a connection
 * pool builds the store with {@link JdbcCertificateStore#builder} instead. The store it makes is
 * {@link AutoCloseable}: close it when done.
 *
 * @since 0.2.0
 */
public final class JdbcStoreFactory implements CertificateStoreFactory {

    /** The name it is chosen by. */
    public static final String NAME = "jdbc";

    /** For {@link java.util.ServiceLoader}. */
    public JdbcStoreFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settings() {
        return Set.of("url", "password-file", "password-variable", "key-file", "local-copy", "node-name", "lease-length");
    }

    @Override
    public CertificateStore create(PluginSettings settings) {
        String url = requireUrl(settings.required("url"));
        Path keyFile = settings.path("key-file").orElseThrow(() -> new InvalidInputException("key-file", null,
                "is required by the " + NAME + " plugin: the store key file (made when it does not exist yet)"));
        JdbcCertificateStore.Builder builder = JdbcCertificateStore.builder(new UrlDataSource(url, password(settings)))
                .key(Files.exists(keyFile) ? StoreKey.readFrom(keyFile) : StoreKey.createFile(keyFile));
        settings.path("local-copy").ifPresent(builder::localCopy);
        settings.optional("node-name").ifPresent(builder::nodeName);
        settings.optional("lease-length").map(JdbcStoreFactory::duration).ifPresent(builder::leaseLength);
        return builder.build();
    }

    private static String requireUrl(String url) {
        if (!url.startsWith("jdbc:postgresql://") && !url.startsWith("jdbc:mariadb://")) {
            throw new InvalidInputException("url", null, "must be a jdbc:postgresql:// or jdbc:mariadb:// URL");
        }
        if (holdsPassword(url)) {
            throw new InvalidInputException("url", null, "holds a password, which every user of the machine can read"
                    + " where the URL is shown; take it out and give it in the password-file setting");
        }
        return url;
    }

    private static String password(PluginSettings settings) {
        Path file = settings.path("password-file").orElse(null);
        if (file == null) {
            return settings.optional("password-variable").map(System::getenv).filter(value -> !value.isEmpty())
                    .orElse(null);
        }
        try {
            return OwnerOnlyFiles.readSecret(file, "database password file");
        } catch (IOException e) {
            throw new InvalidInputException("password-file", file.toString(), e.getMessage());
        }
    }

    private static Duration duration(String text) {
        try {
            Duration duration = Duration.parse(text.toUpperCase(Locale.ROOT));
            if (!duration.isNegative() && !duration.isZero()) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new InvalidInputException("lease-length", text, "is not a positive ISO-8601 duration such as PT2M");
    }

    /**
     * Whether a JDBC URL carries a password: as {@code user:secret@host}, or in a parameter whose name
     * contains "password" ({@code password=}, {@code sslpassword=}). A parameter name that cannot be
     * decoded counts as one: better refused than guessed.
     *
     * @param url a JDBC URL
     * @return whether it holds a password
     */
    public static boolean holdsPassword(String url) {
        int scheme = url.indexOf("://");
        String rest = scheme < 0 ? url : url.substring(scheme + 3);
        int query = rest.indexOf('?');
        String hostAndDatabase = query < 0 ? rest : rest.substring(0, query);
        if (hostAndDatabase.contains("@")) {
            return true;
        }
        if (query < 0) {
            return false;
        }
        for (String parameter : rest.substring(query + 1).split("&")) {
            try {
                String name = URLDecoder.decode(parameter.split("=", 2)[0], StandardCharsets.UTF_8);
                if (name.toLowerCase(Locale.ROOT).contains("password")) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                return true;
            }
        }
        return false;
    }
}
