package dev.autocert4j.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throwaway MariaDB server ({@link MariaDbServer}) for the test classes of one test run: started
 * before the first class that registers the extension and gone when the run ends, since making a
 * MariaDB data folder takes seconds; {@link #freshDatabase()} gives each test an empty database.
 * If MariaDB is not installed, the class fails and says what to install; it is never skipped.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MariaDbExtension MARIADB = new MariaDbExtension();
 *
 * @Test
 * void works() {
 *     String url = MARIADB.freshDatabase();
 * }
 * }</pre>
 *
 * @since 0.2.0
 */
public final class MariaDbExtension implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MariaDbExtension.class);
    /** Database names are unique across the classes that share the server. */
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private MariaDbServer server;

    /** Creates the extension; the server starts before the first class's first test, once per test run. */
    public MariaDbExtension() {
    }

    /** Starts the run's server if no class did yet; the run's end closes it (it is in the root context's store). */
    @Override
    public void beforeAll(ExtensionContext context) {
        server = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(MariaDbServer.class, type -> MariaDbServer.start(), MariaDbServer.class);
    }

    /** @return the running server */
    public MariaDbServer server() {
        if (server == null) {
            throw new IllegalStateException("MariaDB is not started: register the extension on a static field");
        }
        return server;
    }

    /** @return the JDBC URL of a new, empty database */
    public String freshDatabase() {
        return server().createDatabase("test_" + DATABASES.incrementAndGet());
    }
}
