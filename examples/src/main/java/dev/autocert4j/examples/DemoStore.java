package dev.autocert4j.examples;

import dev.autocert4j.CertificateStore;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.jdbc.JdbcStoreFactory;
import dev.autocert4j.jdbc.StoreKey;
import dev.autocert4j.pkcs12.Pkcs12StoreFactory;
import dev.autocert4j.spi.CertificateStoreFactory;
import dev.autocert4j.spi.NamedPlugins;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's certificate store, chosen by name through the store factories: {@code pkcs12}, the
 * folder under {@code --state}, or with {@code --store jdbc:postgresql://...} {@code jdbc}, the
 * PostgreSQL store shared by a cluster (its challenge tokens shared too, and a local copy under
 * {@code --state}). Its password comes from {@code --store-password-file} or the environment,
 * never from the command line.
 */
final class DemoStore implements AutoCloseable {

    private final CertificateStore store;
    private final Http01Responder responder;

    private DemoStore(CertificateStore store) {
        this.store = store;
        this.responder = store.sharedChallengeTokens().map(Http01Responder::sharedThrough)
                .orElseGet(Http01Responder::new);
    }

    static DemoStore open(DemoOptions options, PrintStream out) throws IOException {
        if (options.store == null) {
            return new DemoStore(byName(Pkcs12StoreFactory.NAME, pkcs12Settings(options)));
        }
        return new DemoStore(byName(JdbcStoreFactory.NAME, jdbcSettings(options, out)));
    }

    private static CertificateStore byName(String name, Map<String, String> settings) {
        return NamedPlugins.create(CertificateStoreFactory.class, name, settings, DemoStore.class.getClassLoader());
    }

    private static Map<String, String> pkcs12Settings(DemoOptions options) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("folder", options.state.resolve("store").toString());
        Path passwordFile = options.keystorePasswordFile;
        if (passwordFile != null) {
            SecretFiles.requireOwnerOnly(passwordFile, "keystore password file"); // the admin's: never made here
        }
        settings.put("password-file", (passwordFile != null ? passwordFile
                : options.state.resolve("keystore.password")).toString());
        return settings;
    }

    private static Map<String, String> jdbcSettings(DemoOptions options, PrintStream out) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("url", options.store);
        settings.put("key-file", keyFile(options.storeKeyFile, out).toString());
        settings.put("local-copy", options.state.resolve("local-copy").toString());
        settings.putAll(passwordSettings(options, System.getenv()));
        if (options.nodeName != null) {
            settings.put("node-name", options.nodeName);
        }
        if (options.leaseLength != null) {
            settings.put("lease-length", options.leaseLength.toString());
        }
        return settings;
    }

    CertificateStore store() {
        return store;
    }

    /** @return the responder answering this node's tokens and, with a shared store, every node's */
    Http01Responder responder() {
        return responder;
    }

    @Override
    public void close() {
        if (store instanceof AutoCloseable closeable) { // a database store's connections and background thread
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("Could not close " + store + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Where the database password comes from: {@code --store-password-file} (refused when others can
     * read it), else the environment, else nowhere (a server that trusts the connection, or
     * PostgreSQL's own {@code ~/.pgpass}). Never the command line; the password itself is not in
     * the settings, only where to read it.
     */
    static Map<String, String> passwordSettings(DemoOptions options, Map<String, String> environment) throws IOException {
        if (options.storePasswordFile != null) {
            SecretFiles.requireOwnerOnly(options.storePasswordFile, "store password file");
            return Map.of("password-file", options.storePasswordFile.toString());
        }
        String fromEnvironment = environment.get(DemoOptions.STORE_PASSWORD_VARIABLE);
        return fromEnvironment == null || fromEnvironment.isEmpty() ? Map.of()
                : Map.of("password-variable", DemoOptions.STORE_PASSWORD_VARIABLE);
    }

    /** Makes the store key where none exists yet, and says so: every node of a cluster needs a copy of it. */
    private static Path keyFile(Path file, PrintStream out) {
        if (!Files.exists(file)) {
            StoreKey key = StoreKey.createFile(file);
            out.println("Created a new store key in " + file + " (fingerprint " + key.fingerprint()
                    + "); copy it to every node of the cluster");
        }
        return file;
    }
}
