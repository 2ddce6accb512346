package dev.autocert4j.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A throwaway MariaDB server for tests: a new data folder in a temporary folder
 * ({@code mariadb-install-db}), {@code mariadbd} listening on a free loopback port and on a socket
 * in that folder, a user {@value #USER} with a random password for the databases it creates, gone
 * when closed. It uses the binaries of Debian's {@code mariadb-server} package and reads no
 * configuration file ({@code --no-defaults}); MariaDB refuses to run as root, so when the tests run
 * as root the server runs as the {@code mysql} user the package creates. The administrator is the
 * operating system user, over the socket only. Durability is traded for speed: the data is thrown
 * away anyway.
 *
 * @since 0.2.0
 */
public final class MariaDbServer implements AutoCloseable {

    /** The user the JDBC URLs connect as. */
    public static final String USER = "autocert4j";

    private static final Path SERVER = Path.of("/usr/sbin/mariadbd");
    private static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
    private static final Path CLIENT = Path.of("/usr/bin/mariadb");
    private static final long START_SECONDS = 120;

    private final Path folder;
    private final int port;
    private final String administrator;
    private final boolean asMysqlUser;
    private final String password = HexFormat.of().formatHex(randomBytes());
    private Process server;

    private MariaDbServer(Path folder, int port, String administrator, boolean asMysqlUser) {
        this.folder = folder;
        this.port = port;
        this.administrator = administrator;
        this.asMysqlUser = asMysqlUser;
    }

    /**
     * Makes a new data folder and starts a server on it.
     *
     * @return the running server
     * @throws IllegalStateException if MariaDB is not installed or does not start; the message says
     *                               what to install, or what the server said
     */
    public static MariaDbServer start() {
        requireInstalled();
        String user = System.getProperty("user.name");
        boolean root = user.equals("root");
        try {
            Path folder = Files.createTempDirectory("autocert4j-mariadb-");
            if (root) {
                UserPrincipal mysql = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("mysql");
                Files.setOwner(folder, mysql);
            }
            MariaDbServer server = new MariaDbServer(folder, Ports.free(), user, root);
            try {
                server.installDataFolder();
                server.startServer();
                server.admin("CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + server.password + "'");
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "mariadb-stop"));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start a MariaDB server for the tests: " + e.getMessage(), e);
        }
    }

    /** @return the port it listens on at 127.0.0.1 */
    public int port() {
        return port;
    }

    /**
     * @param database a database name
     * @return a JDBC URL for it, with the user and its password in it, without TLS (the server has
     * none; the MariaDB driver asks for it by default)
     */
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?user=" + USER + "&password=" + password
                + "&sslMode=disable";
    }

    /**
     * Creates an empty database that {@value #USER} may do anything in.
     *
     * @param name its name (letters, digits, underscores)
     * @return its JDBC URL
     */
    public String createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name " + name + " must be lower-case letters, digits and _");
        }
        admin("CREATE DATABASE " + name + " CHARACTER SET utf8mb4; GRANT ALL PRIVILEGES ON " + name + ".* TO '" + USER
                + "'@'127.0.0.1'");
        return jdbcUrl(name);
    }

    /** @return the server's log so far */
    public String log() {
        try {
            return Files.readString(folder.resolve("server.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the server (as an administrator would: open sessions are ended) and deletes its folder. */
    @Override
    public synchronized void close() {
        if (server != null && server.isAlive()) {
            server.destroy(); // SIGTERM: MariaDB shuts down in order
            try {
                if (!server.waitFor(60, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            } catch (InterruptedException e) {
                server.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        deleteQuietly(folder);
    }

    private void installDataFolder() {
        List<String> command = new ArrayList<>(List.of(INSTALL_DB.toString(), "--no-defaults",
                "--datadir=" + folder.resolve("data"), "--auth-root-authentication-method=socket",
                "--auth-root-socket-user=" + administrator, "--skip-test-db", "--skip-name-resolve"));
        if (asMysqlUser) {
            command.add("--user=mysql");
        }
        run("mariadb-install-db", command, "");
    }

    private void startServer() throws IOException {
        List<String> command = new ArrayList<>(List.of(SERVER.toString(), "--no-defaults",
                "--datadir=" + folder.resolve("data"), "--socket=" + socket(), "--port=" + port,
                "--bind-address=127.0.0.1", "--pid-file=" + folder.resolve("mariadb.pid"), "--tmpdir=" + folder,
                "--skip-name-resolve", "--skip-log-bin", "--max-connections=200",
                "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0"));
        if (asMysqlUser) {
            command.add("--user=mysql");
        }
        server = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread copier = new Thread(() -> copyLog(ready), "mariadb-log");
        copier.setDaemon(true);
        copier.start();
        try {
            ready.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("mariadbd did not start: " + e.getCause().getMessage() + "\n" + log());
        } catch (TimeoutException e) {
            throw new IllegalStateException("mariadbd was not ready within " + START_SECONDS + " s:\n" + log());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting mariadbd", e);
        }
    }

    /** Copies the server's output into server.log until it ends; completes {@code ready} when it accepts connections. */
    private void copyLog(CompletableFuture<Void> ready) {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8)); Writer log = Files.newBufferedWriter(folder.resolve("server.log"))) {
            String line;
            while ((line = output.readLine()) != null) {
                log.write(line + "\n");
                log.flush();
                if (line.contains("ready for connections")) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("it exited"));
    }

    /** Runs statements as the administrator, over the socket; they go in on standard input. */
    private void admin(String sql) {
        run("mariadb", List.of(CLIENT.toString(), "--no-defaults", "--socket=" + socket(), "--user=" + administrator,
                "--batch"), sql + ";\n");
    }

    private Path socket() {
        return folder.resolve("mariadb.sock");
    }

    private void run(String tool, List<String> command, String input) {
        ToolRun.run(tool, command, folder, input);
    }

    private static void requireInstalled() {
        for (Path binary : List.of(SERVER, INSTALL_DB, CLIENT)) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException("MariaDB is not installed: run 'apt-get install -y mariadb-server'"
                        + " (the tests need " + binary + ")");
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // a file still in use: the temporary folder is cleaned by the system later
                }
            });
        } catch (IOException e) {
            // nothing to delete
        }
    }
}
