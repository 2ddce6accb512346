package dev.autocert4j.pkcs12;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.CertificateStoreFactory;
import dev.autocert4j.spi.PluginSettings;

import java.nio.file.Path;
import java.util.Set;

/**
 * The PKCS#12 folder store by the name {@code pkcs12}. Settings: {@code folder} (required), and
 * {@code password-file}, the file that keeps its password (made on first use, owner-only;
 * {@code store.password} beside the folder if not given).
 *
 * @since 0.2.0
 */
public final class Pkcs12StoreFactory implements CertificateStoreFactory {

    /** The name it is chosen by. */
    public static final String NAME = "pkcs12";

    /** For {@link java.util.ServiceLoader}. */
    public Pkcs12StoreFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settings() {
        return Set.of("folder", "password-file");
    }

    @Override
    public CertificateStore create(PluginSettings settings) {
        Path folder = settings.path("folder").orElseThrow(() -> new InvalidInputException("folder", null,
                "is required by the " + NAME + " plugin: the folder the certificates are kept in"));
        Path passwordFile = settings.path("password-file")
                .orElse(folder.toAbsolutePath().resolveSibling("store.password"));
        return Pkcs12CertificateStore.withPasswordFile(folder, passwordFile);
    }
}
