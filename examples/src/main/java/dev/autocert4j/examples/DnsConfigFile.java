package dev.autocert4j.examples;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The file --dns-config names: a properties file of the DNS provider's settings, such as
 * {@code api-url=http://127.0.0.1:8081} and {@code api-key-file=/etc/portal/pdns.key}. It holds no
 * secret (a credential is never a setting, only the file or environment variable holding it), so
 * others may read it; but no one else may change it, since whoever could would send the credential
 * to an API of their choosing.
 */
final class DnsConfigFile {

    /** The dns-01 solver's own settings a config file may also give; resolvers come from --dns-resolver. */
    static final Set<String> SOLVER_SETTINGS = Set.of("zone", "propagation-timeout", "authoritative-port");

    private DnsConfigFile() {
    }

    /**
     * @param file the file, or {@code null} for none
     * @return its settings, by key; empty for none
     * @throws UsageException if it cannot be read, or others can change it
     */
    static Map<String, String> read(Path file) throws UsageException {
        Map<String, String> settings = new TreeMap<>();
        if (file == null) {
            return settings;
        }
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new UsageException("--dns-config " + file + " is not a regular file");
            }
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                    throw new UsageException("--dns-config " + file + " can be changed by other users, who could then"
                            + " send the DNS credential to an API of their own; make it writable by its owner only"
                            + " (chmod go-w " + file + ")");
                }
            }
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            properties.stringPropertyNames().forEach(key -> settings.put(key.strip(), properties.getProperty(key).strip()));
            return settings;
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("--dns-config " + file + " cannot be read: " + e.getMessage());
        }
    }
}
