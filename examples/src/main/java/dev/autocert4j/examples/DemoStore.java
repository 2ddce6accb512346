package dev.autocert4j.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.autocert4j.CertificateStore;
import dev.autocert4j.http.Http01Responder;
import dev.autocert4j.jdbc.JdbcCertificateStore;
import dev.autocert4j.jdbc.StoreKey;
import dev.autocert4j.pkcs12.Pkcs12CertificateStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The demo's certificate store: the PKCS#12 folder under {@code --state}, or with
 * {@code --store jdbc:postgresql://...} the PostgreSQL store shared by a cluster (its challenge
 * tokens shared too, and a local copy under {@code --state}). Its password comes from
 * {@code --store-password-file} or the environment, never from the command line.
 */
final class DemoStore implements AutoCloseable {

    private final CertificateStore store;
    private final HikariDataSource pool;
    private final Http01Responder responder;

    private DemoStore(CertificateStore store, HikariDataSource pool) {
        this.store = store;
        this.pool = pool;
        this.responder = store instanceof JdbcCertificateStore jdbc
                ? Http01Responder.sharedThrough(jdbc.challengeTokens()) : new Http01Responder();
    }

    static DemoStore open(DemoOptions options, PrintStream out) throws IOException {
        if (options.store == null) {
            return new DemoStore(pkcs12(options), null);
        }
        StoreKey key = key(options.storeKeyFile, out);
        HikariDataSource pool = pool(options.store, storePassword(options, System.getenv()));
        JdbcCertificateStore.Builder jdbc = JdbcCertificateStore.builder(pool).key(key)
                .localCopy(options.state.resolve("local-copy"));
        if (options.nodeName != null) {
            jdbc.nodeName(options.nodeName);
        }
        if (options.leaseLength != null) {
            jdbc.leaseLength(options.leaseLength);
        }
        return new DemoStore(jdbc.build(), pool);
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
        if (store instanceof JdbcCertificateStore jdbc) {
            jdbc.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * The database password: from {@code --store-password-file} (refused when others can read it),
     * else from the environment, else none (a server that trusts the connection, or a password file
     * of PostgreSQL's own, {@code ~/.pgpass}). Never from the command line.
     */
    static String storePassword(DemoOptions options, Map<String, String> environment) throws IOException {
        if (options.storePasswordFile != null) {
            return SecretFiles.read(options.storePasswordFile, "store password file");
        }
        String fromEnvironment = environment.get(DemoOptions.STORE_PASSWORD_VARIABLE);
        return fromEnvironment == null || fromEnvironment.isEmpty() ? null : fromEnvironment;
    }

    static HikariDataSource pool(String url, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(-1); // start while the database is down; the local copy serves
        config.setPoolName("autocert4j-demo");
        return new HikariDataSource(config);
    }

    /** Reads the store key, or makes one where none exists yet (every node of a cluster needs a copy of it). */
    private static StoreKey key(Path file, PrintStream out) {
        if (Files.exists(file)) {
            return StoreKey.readFrom(file); // refuses a key file others can read
        }
        StoreKey key = StoreKey.createFile(file);
        out.println("Created a new store key in " + file + " (fingerprint " + key.fingerprint()
                + "); copy it to every node of the cluster");
        return key;
    }

    private static Pkcs12CertificateStore pkcs12(DemoOptions options) throws IOException {
        Path root = options.state.resolve("store");
        if (options.keystorePasswordFile == null) {
            return Pkcs12CertificateStore.withPasswordFile(root, options.state.resolve("keystore.password"));
        }
        return new Pkcs12CertificateStore(root, password(options.keystorePasswordFile));
    }

    /** Reads the keystore password the admin gave in a file (refused when others can read it). */
    private static char[] password(Path file) throws IOException {
        return SecretFiles.read(file, "keystore password file").toCharArray();
    }
}
