package dev.autocert4j.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throwaway PostgreSQL server ({@link PostgresServer}) for one test class, started before its
 * first test and gone after its last; {@link #freshDatabase()} gives each test an empty database.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresExtension POSTGRES = new PostgresExtension();
 *
 * @Test
 * void works() {
 *     String url = POSTGRES.freshDatabase();
 * }
 * }</pre>
 *
 * @since 0.2.0
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    private final AtomicInteger databases = new AtomicInteger();
    private PostgresServer server;

    /** Creates the extension; the server starts before the class's first test. */
    public PostgresExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = PostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    /** @return the running server */
    public PostgresServer server() {
        if (server == null) {
            throw new IllegalStateException("PostgreSQL is not started: register the extension on a static field");
        }
        return server;
    }

    /** @return the JDBC URL of a new, empty database */
    public String freshDatabase() {
        return server().createDatabase("test_" + databases.incrementAndGet());
    }
}
