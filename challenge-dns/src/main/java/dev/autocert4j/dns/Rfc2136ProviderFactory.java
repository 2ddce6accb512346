package dev.autocert4j.dns;

import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.DnsProvider;
import dev.autocert4j.spi.DnsProviderFactory;
import dev.autocert4j.spi.OwnerOnlyFiles;
import dev.autocert4j.spi.PluginSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The {@link Rfc2136Provider} by the name {@code rfc2136}: any server that takes RFC 2136 dynamic
 * updates signed with TSIG (BIND, Knot, PowerDNS). Settings: {@code server} ({@code HOST:PORT} of
 * the primary, required) and {@code tsig-file} (the key in BIND's key-file format, as
 * {@code tsig-keygen} writes it; required, and refused if other users can read it).
 *
 * @since 0.2.0
 */
public final class Rfc2136ProviderFactory implements DnsProviderFactory {

    /** The name it is chosen by. */
    public static final String NAME = "rfc2136";

    /** For {@link java.util.ServiceLoader}. */
    public Rfc2136ProviderFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settings() {
        return Set.of("server", "tsig-file");
    }

    @Override
    public DnsProvider create(PluginSettings settings) {
        InetSocketAddress server = resolved(settings.address("server").orElseThrow(() -> required("server")));
        Path keyFile = settings.path("tsig-file").orElseThrow(() -> required("tsig-file"));
        requireOwnerOnly(keyFile);
        return new Rfc2136Provider(server, TsigKey.readBindKeyFile(keyFile));
    }

    private static InvalidInputException required(String setting) {
        return new InvalidInputException(setting, null, "is required by the " + NAME + " plugin");
    }

    static InetSocketAddress resolved(InetSocketAddress address) {
        return new InetSocketAddress(address.getHostString(), address.getPort());
    }

    private static void requireOwnerOnly(Path keyFile) {
        try {
            if (Files.exists(keyFile) && keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")
                    && OwnerOnlyFiles.othersCanUse(Files.getPosixFilePermissions(keyFile))) {
                throw new InvalidInputException("tsig-file", keyFile.toString(), "can be read by other users, who could"
                        + " then change the zone; make it private (chmod 600 " + keyFile + ")");
            }
        } catch (IOException e) {
            throw new InvalidInputException("tsig-file", keyFile.toString(), "cannot be read: " + e.getMessage());
        }
    }
}
