package dev.autocert4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: a new cluster in a temporary folder ({@code initdb}),
 * listening on a free loopback port, with a superuser {@value #USER} that needs no password, gone
 * when closed. It uses the binaries of Debian's {@code postgresql} package
 * ({@code /usr/lib/postgresql/<version>/bin}); PostgreSQL refuses to run as root, so when the tests
 * run as root the server runs as the {@code postgres} user the package creates. Durability is
 * traded for speed ({@code fsync=off}): the cluster is thrown away anyway.
 *
 * @since 0.2.0
 */
public final class PostgresServer implements AutoCloseable {

    /** The superuser the cluster is made with. */
    public static final String USER = "autocert4j";

    private final Path folder;
    private final Path data;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;
    private boolean running;

    private PostgresServer(Path folder, Path bin, int port, boolean asPostgresUser) {
        this.folder = folder;
        this.data = folder.resolve("data");
        this.bin = bin;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * Makes a new cluster and starts it.
     *
     * @return the running server
     * @throws IllegalStateException if PostgreSQL is not installed or does not start; the message
     *                               says what to install
     */
    public static PostgresServer start() {
        Path bin = binaries();
        try {
            boolean root = System.getProperty("user.name").equals("root");
            Path folder = Files.createTempDirectory("autocert4j-postgres-");
            if (root) {
                UserPrincipal postgres = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(folder, postgres);
            }
            PostgresServer server = new PostgresServer(folder, bin, Ports.free(), root);
            server.run("initdb", "-D", server.data.toString(), "-U", USER, "-A", "trust", "-E", "UTF8",
                    "--locale=C", "--no-sync");
            server.startAgain();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-stop"));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start a PostgreSQL server for the tests: " + e.getMessage(), e);
        }
    }

    /** @return the port it listens on at 127.0.0.1 */
    public int port() {
        return port;
    }

    /**
     * @param database a database name
     * @return a JDBC URL for it, with the user in it
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    /**
     * Creates an empty database.
     *
     * @param name its name (letters, digits, underscores)
     * @return its JDBC URL
     */
    public String createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name " + name + " must be lower-case letters, digits and _");
        }
        run("createdb", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", USER, name);
        return jdbcUrl(name);
    }

    /** Stops the server the way an administrator would (fast shutdown: open sessions are ended). */
    public synchronized void stop() {
        if (running) {
            run("pg_ctl", "stop", "-D", data.toString(), "-m", "fast", "-w");
            running = false;
        }
    }

    /** Starts the server again on the same port, with the same data, after {@link #stop()}. */
    public synchronized void startAgain() {
        if (running) {
            return;
        }
        run("pg_ctl", "start", "-D", data.toString(), "-w", "-t", "60", "-l", folder.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
        running = true;
    }

    /** @return the server's log so far */
    public String log() {
        try {
            return Files.readString(folder.resolve("server.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the server and deletes its folder. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            // already gone; still delete the folder
        }
        deleteQuietly(folder);
    }

    private void run(String tool, String... arguments) {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(Arrays.asList(arguments));
        ToolRun.run(tool, command, folder, "");
    }

    /** The newest PostgreSQL that Debian's packages installed. */
    private static Path binaries() {
        Path versions = Path.of("/usr/lib/postgresql");
        try (Stream<Path> installed = Files.isDirectory(versions) ? Files.list(versions) : Stream.empty()) {
            return installed.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(bin -> version(bin.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed: run"
                            + " 'apt-get install -y postgresql' (the tests need initdb and pg_ctl under /usr/lib/postgresql)"));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot look for PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name.toLowerCase(Locale.ROOT).replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
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
