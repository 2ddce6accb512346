package dev.autocert4j.spring.boot;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import java.net.InetAddress;
import java.util.function.BooleanSupplier;

/**
 * What Spring Boot's Jetty lacks for autocert4j: a plain HTTP connector for the CA's challenges,
 * and reloading the HTTPS connector's {@link SslContextFactory} when the SSL bundle is updated
 * (Spring Boot does that for Tomcat only). New handshakes get the new certificate; open
 * connections keep theirs.
 */
final class JettyBundleReloader implements JettyServerCustomizer {

    private final SslBundles sslBundles;
    private final String bundleName;
    private final BooleanSupplier serverUsesBundle;
    private final int httpPort;
    private final InetAddress address;

    JettyBundleReloader(SslBundles sslBundles, String bundleName, BooleanSupplier serverUsesBundle, int httpPort,
                        InetAddress address) {
        this.sslBundles = sslBundles;
        this.bundleName = bundleName;
        this.serverUsesBundle = serverUsesBundle;
        this.httpPort = httpPort;
        this.address = address;
    }

    @Override
    public void customize(Server server) {
        if (serverUsesBundle.getAsBoolean()) {
            for (Connector connector : server.getConnectors()) {
                SslConnectionFactory tls = connector.getConnectionFactory(SslConnectionFactory.class);
                if (tls != null) {
                    SslContextFactory.Server factory = tls.getSslContextFactory();
                    sslBundles.addBundleUpdateHandler(bundleName, bundle -> reload(factory, bundle));
                }
            }
        }
        if (!listensOn(server, httpPort)) {
            ServerConnector http = new ServerConnector(server, new HttpConnectionFactory());
            http.setPort(httpPort);
            if (address != null) {
                http.setHost(address.getHostAddress());
            }
            server.addConnector(http);
        }
    }

    private static boolean listensOn(Server server, int port) {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof ServerConnector serverConnector && serverConnector.getPort() == port) {
                return true;
            }
        }
        return false;
    }

    private static void reload(SslContextFactory.Server factory, SslBundle bundle) {
        try {
            factory.reload(reloaded -> {
                reloaded.setKeyStore(bundle.getStores().getKeyStore());
                reloaded.setKeyStorePassword(bundle.getStores().getKeyStorePassword());
                reloaded.setKeyManagerPassword(bundle.getKey().getPassword());
                reloaded.setCertAlias(bundle.getKey().getAlias());
            });
        } catch (Exception e) {
            throw new IllegalStateException("Jetty could not load the new certificate: " + e.getMessage(), e);
        }
    }
}
