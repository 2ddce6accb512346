package dev.autocert4j.tomcat;

import dev.autocert4j.Binding;
import dev.autocert4j.InstallResult;
import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.spi.BindingProvider;
import dev.autocert4j.tls.GuardedTlsServer;
import dev.autocert4j.tls.TlsPolicy;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The bindings of a Tomcat service: one per connector and public host name. Each certificate
 * goes to Tomcat as an in-memory key store in an SSL host configuration per name it covers, so
 * Tomcat picks it by SNI; a renewal replaces the configuration, which Tomcat applies to new
 * connections while open ones keep theirs. Handshakes without SNI, or for another name, get the
 * first name's certificate. Installing on a port without a connector adds an HTTPS connector
 * there, at run time (Tomcat cannot start HTTPS without a certificate, so there is none before).
 *
 * <pre>{@code
 * TomcatBindings bindings = TomcatBindings.of(tomcat.getService(), "portal.example.com");
 * AutoCert autoCert = AutoCert.builder().bindingProvider(bindings)...build();
 * }</pre>
 *
 * <p>HTTPS connectors added here are guarded against slow and idle clients, with the defaults of
 * {@link GuardedTlsServer}: a TLS handshake must finish within
 * {@link GuardedTlsServer#DEFAULT_HANDSHAKE_TIMEOUT}, a connection idle for
 * {@link GuardedTlsServer#DEFAULT_IDLE_TIMEOUT} is closed (Tomcat's {@code connectionTimeout} and
 * {@code keepAliveTimeout}), one client address holds at most
 * {@link GuardedTlsServer#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS} connections and the connector at most
 * {@link GuardedTlsServer#DEFAULT_MAX_CONNECTIONS} (Tomcat's {@code maxConnections}: it stops accepting
 * until one closes). Connectors the host adds itself keep the host's settings.
 */
public final class TomcatBindings implements BindingProvider {

    private static final Logger LOG = LoggerFactory.getLogger(TomcatBindings.class);
    private static final String ALIAS = "autocert4j";
    /** Tomcat's name for the configuration of handshakes without SNI, or for names no other one has. */
    private static final String DEFAULT_HOST = "_default_";

    private final Service service;
    private final List<String> hostNames;
    /** Never stored: the key stores live in memory only, for Tomcat to read. */
    private final char[] keyStorePassword = randomPassword();
    /** The ports whose HTTPS connector this object added, and the certificate of each name there. */
    private final Map<Integer, Map<String, IssuedCertificate>> served = new HashMap<>();

    private TomcatBindings(Service service, List<String> hostNames) {
        this.service = service;
        this.hostNames = hostNames;
    }

    /**
     * @param service   the service whose connectors are the bindings, such as {@code tomcat.getService()}
     * @param hostNames the public names the portal is reached by: connectors know ports, not names
     * @return the bindings
     * @throws IllegalArgumentException if no host name is given
     */
    public static TomcatBindings of(Service service, String... hostNames) {
        Objects.requireNonNull(service, "service");
        if (hostNames.length == 0) {
            throw new IllegalArgumentException("give at least one host name the portal is reached by");
        }
        List<String> names = new ArrayList<>();
        for (String name : hostNames) {
            names.add(Objects.requireNonNull(name, "hostName").strip().toLowerCase(Locale.ROOT));
        }
        return new TomcatBindings(service, List.copyOf(names));
    }

    @Override
    public List<Binding> bindings() {
        Set<Binding> bindings = new LinkedHashSet<>();
        for (Connector connector : service.findConnectors()) {
            String scheme = isHttps(connector) ? "https" : "http";
            for (String name : hostNames) {
                bindings.add(new Binding(scheme, name, portOf(connector)));
            }
        }
        return List.copyOf(bindings);
    }

    /**
     * Serves the certificate, for every name on it, from the next handshake on. If no connector
     * listens on the binding's port, an HTTPS connector is added there first.
     *
     * @throws IllegalStateException if the port is served by plain HTTP, by an HTTPS connector this
     *                               object did not add, or Tomcat cannot open it
     */
    @Override
    public synchronized InstallResult install(Binding httpsBinding, IssuedCertificate certificate) {
        int port = httpsBinding.port();
        Optional<Connector> existing = connectorOn(port);
        if (existing.isPresent() && !served.containsKey(port)) {
            throw new IllegalStateException("port " + port + (isHttps(existing.get())
                    ? " has an HTTPS connector with certificates of its own; leave the port to TomcatBindings"
                    : " serves plain HTTP; choose another HTTPS port"));
        }
        Map<String, IssuedCertificate> names = served.computeIfAbsent(port, p -> new java.util.LinkedHashMap<>());
        List<String> changed = new ArrayList<>(certificate.metadata().names());
        if (names.isEmpty() || certificate.metadata().names().contains(names.keySet().iterator().next())) {
            changed.add(DEFAULT_HOST);
        }
        for (String name : certificate.metadata().names()) {
            names.put(name, certificate);
        }
        if (existing.isEmpty()) {
            addHttpsConnector(port, names, certificate);
        } else {
            for (String name : changed) {
                existing.get().getProtocolHandler().addSslHostConfig(hostConfig(name, certificate), true);
            }
        }
        return InstallResult.LIVE;
    }

    private void addHttpsConnector(int port, Map<String, IssuedCertificate> names, IssuedCertificate first) {
        Connector connector = new Connector(new Http11NioProtocol(new GuardedNioEndpoint(
                GuardedTlsServer.DEFAULT_HANDSHAKE_TIMEOUT, GuardedTlsServer.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS)));
        String idleMillis = String.valueOf(GuardedTlsServer.DEFAULT_IDLE_TIMEOUT.toMillis());
        connector.setProperty("connectionTimeout", idleMillis);
        connector.setProperty("keepAliveTimeout", idleMillis);
        connector.setProperty("maxConnections", String.valueOf(GuardedTlsServer.DEFAULT_MAX_CONNECTIONS));
        connector.setPort(port);
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("SSLEnabled", "true");
        firstAddress().ifPresent(address -> connector.setProperty("address", address));
        connector.addSslHostConfig(hostConfig(DEFAULT_HOST, first));
        names.forEach((name, certificate) -> connector.addSslHostConfig(hostConfig(name, certificate)));
        service.addConnector(connector); // starts it if the service runs
        if (service.getState().isAvailable() && !connector.getState().isAvailable()) {
            service.removeConnector(connector);
            served.remove(port);
            throw new IllegalStateException("Tomcat could not open HTTPS on port " + port + "; see Tomcat's log");
        }
        LOG.info("Opened HTTPS on port {}", port);
    }

    private SSLHostConfig hostConfig(String hostName, IssuedCertificate certificate) {
        SSLHostConfig hostConfig = new SSLHostConfig();
        hostConfig.setHostName(hostName);
        // TlsPolicy: TLS 1.2+ with AEAD suites, in the server's order
        hostConfig.setProtocols(String.join(",", TlsPolicy.PROTOCOLS));
        hostConfig.setCiphers(String.join(":", TlsPolicy.CIPHER_SUITES));
        hostConfig.setHonorCipherOrder(true);
        SSLHostConfigCertificate tomcatCertificate = new SSLHostConfigCertificate(hostConfig,
                SSLHostConfigCertificate.Type.UNDEFINED);
        tomcatCertificate.setCertificateKeystore(certificate.toKeyStore(ALIAS, keyStorePassword));
        tomcatCertificate.setCertificateKeystorePassword(new String(keyStorePassword));
        tomcatCertificate.setCertificateKeyAlias(ALIAS);
        hostConfig.addCertificate(tomcatCertificate);
        return hostConfig;
    }

    /** The address the existing connectors listen on, so HTTPS listens there too. */
    private Optional<String> firstAddress() {
        for (Connector connector : service.findConnectors()) {
            Object address = connector.getProperty("address");
            if (address != null) {
                return Optional.of(address.toString().replaceFirst("^.*/", ""));
            }
        }
        return Optional.empty();
    }

    private Optional<Connector> connectorOn(int port) {
        for (Connector connector : service.findConnectors()) {
            if (portOf(connector) == port) {
                return Optional.of(connector);
            }
        }
        return Optional.empty();
    }

    private static boolean isHttps(Connector connector) {
        return Boolean.parseBoolean(String.valueOf(connector.getProperty("SSLEnabled")));
    }

    private static int portOf(Connector connector) {
        return connector.getLocalPort() > 0 ? connector.getLocalPort() : connector.getPort();
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }
}
