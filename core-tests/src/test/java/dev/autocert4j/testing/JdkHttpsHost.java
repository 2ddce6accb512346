package dev.autocert4j.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.autocert4j.Binding;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.tls.SniKeyManager;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A host with one HTTPS listener on a loopback port, a real JDK {@code HttpsServer} whose
 * certificates come from an {@link SniKeyManager}: {@code install} puts the certificate there and
 * answers LIVE. It can be told to ignore installs while still answering LIVE, as a broken host would.
 */
public final class JdkHttpsHost implements BindingProvider, AutoCloseable {

    private final SniKeyManager keys;
    private final List<Binding> bindings;
    private final HttpsServer server;
    // an executor of its own: with the default one, an idle TLS connection blocks every other; unbounded, so
    // that handshakes waiting for an on-demand certificate do not hold up the one that checks its install
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private volatile boolean ignoringInstalls;

    /**
     * @param bindings the bindings the host lists, as URLs
     * @throws IOException if no port can be bound
     */
    public JdkHttpsHost(String... bindings) throws IOException {
        this(0, bindings);
    }

    /**
     * @param port     the loopback port to listen on, 0 for any free one
     * @param bindings the bindings the host lists, as URLs
     * @throws IOException if the port cannot be bound
     */
    public JdkHttpsHost(int port, String... bindings) throws IOException {
        this(new SniKeyManager(), port, bindings);
    }

    /**
     * @param keys     the key manager to serve from (one with a small capacity of loaded certificates, say)
     * @param port     the loopback port to listen on, 0 for any free one
     * @param bindings the bindings the host lists, as URLs
     * @throws IOException if the port cannot be bound
     */
    public JdkHttpsHost(SniKeyManager keys, int port, String... bindings) throws IOException {
        this.keys = keys;
        this.bindings = Arrays.stream(bindings).map(Binding::parse).toList();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(keys.sslContext()) {
            @Override
            public void configure(HttpsParameters parameters) {
                parameters.setSSLParameters(SniKeyManager.offeringAcmeTls1(getSSLContext().getDefaultSSLParameters()));
            }
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    /** @return the key manager behind the listener, whose TLS-ALPN-01 responder answers validations here */
    public SniKeyManager keys() {
        return keys;
    }

    /** @return the HTTPS port */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return where the HTTPS listener is */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    /** @param ignore whether installs leave the served certificate as it is (and still answer LIVE) */
    public void ignoringInstalls(boolean ignore) {
        this.ignoringInstalls = ignore;
    }

    @Override
    public List<Binding> bindings() {
        return bindings;
    }

    @Override
    public InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
        if (!ignoringInstalls) {
            keys.put(certificate);
        }
        return InstallResult.LIVE;
    }

    @Override
    public void uninstall(Binding httpsBinding, List<String> names) {
        names.forEach(keys::remove);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
