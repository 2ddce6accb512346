package dev.autocert4j.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A throwaway BIND 9 ({@link BindServer}) for one test class. Its port is chosen when the
 * extension is made, so a {@link PebbleExtension} declared after it can be told to ask it:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BindExtension BIND = new BindExtension("example.test");
 * @RegisterExtension
 * static final PebbleExtension PEBBLE = PebbleExtension.withDefaults().dnsServer(BIND.address());
 * }</pre>
 *
 * @since 0.2.0
 */
public final class BindExtension implements BeforeAllCallback, AfterAllCallback {

    private final String zone;
    private final int port = Ports.free();
    private BindServer server;

    /** @param zone the zone BIND serves and takes signed updates for */
    public BindExtension(String zone) {
        this.zone = zone;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = BindServer.start(zone, port);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    /** @return where BIND listens (known before it starts) */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** @return the running server */
    public BindServer server() {
        if (server == null) {
            throw new IllegalStateException("BIND is not started: register the extension on a static field");
        }
        return server;
    }
}
