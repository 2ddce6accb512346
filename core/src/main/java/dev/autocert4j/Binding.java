package dev.autocert4j;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * An address the host server listens on: a scheme ({@code http} or {@code https}), the host name
 * the portal is reached by, and a port.
 *
 * <p>The host name is the name that goes on the certificate. The server usually listens on that
 * port on all interfaces, so the name never has to resolve on the machine itself: the certificate
 * authority resolves it, not the portal.
 *
 * <p>Immutable; two bindings are equal when scheme, host and port are.
 */
public final class Binding {

    private final String scheme;
    private final String host;
    private final int port;

    /**
     * Validates and normalizes the parts of a binding.
     *
     * @param scheme {@code "http"} or {@code "https"}, stored in lower case
     * @param host   the host name (or address) clients use, stored in lower case
     * @param port   the TCP port, 1 to 65535
     * @throws InvalidInputException if a part is malformed
     */
    public Binding(String scheme, String host, int port) {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        String normalizedScheme = scheme.toLowerCase(Locale.ROOT);
        if (!normalizedScheme.equals("http") && !normalizedScheme.equals("https")) {
            throw new InvalidInputException("scheme", scheme, "must be 'http' or 'https'");
        }
        String normalizedHost = host.strip().toLowerCase(Locale.ROOT);
        if (normalizedHost.isEmpty()) {
            throw new InvalidInputException("host", host, "must not be empty");
        }
        this.scheme = normalizedScheme;
        this.host = normalizedHost;
        this.port = requirePort("port", port);
    }

    /** @return {@code "http"} or {@code "https"} */
    public String scheme() {
        return scheme;
    }

    /** @return the host name (or address) clients use, in lower case */
    public String host() {
        return host;
    }

    /** @return the TCP port */
    public int port() {
        return port;
    }

    /**
     * Parses a binding from a URL such as {@code http://portal.example.com:8080}. Without a port,
     * the scheme's default (80 or 443) is used. A path other than {@code /} is rejected.
     *
     * @param url the binding as a URL
     * @return the binding
     * @throws InvalidInputException if the URL is malformed
     */
    public static Binding parse(String url) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new InvalidInputException("binding", url, "is not a URL like http://portal.example.com:8080");
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new InvalidInputException("binding", url, "is not a URL like http://portal.example.com:8080");
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
                || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new InvalidInputException("binding", url, "must be scheme, host and port only");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(scheme);
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Binding(scheme, host, port);
    }

    /**
     * Checks that a port number is between 1 and 65535.
     *
     * @param field the name of the field, for the error message
     * @param port  the port
     * @return the port
     * @throws InvalidInputException if the port is out of range
     */
    static int requirePort(String field, int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidInputException(field, String.valueOf(port), "must be between 1 and 65535");
        }
        return port;
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> throw new InvalidInputException("scheme", scheme, "must be 'http' or 'https'");
        };
    }

    /** @return whether this binding already speaks TLS */
    public boolean isHttps() {
        return scheme.equals("https");
    }

    /**
     * Returns the HTTPS binding for the same host on the given port.
     *
     * @param httpsPort the HTTPS port, 1 to 65535
     * @return an {@code https} binding
     */
    public Binding withHttpsPort(int httpsPort) {
        return new Binding("https", host, httpsPort);
    }

    /** @return this binding as a URL, such as {@code https://portal.example.com:8443/} */
    public URI uri() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return URI.create(scheme + "://" + h + ":" + port + "/");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Binding that && scheme.equals(that.scheme) && host.equals(that.host) && port == that.port;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, host, port);
    }

    /** @return the binding as a URL without a trailing slash, such as {@code http://portal.example.com:80} */
    @Override
    public String toString() {
        String s = uri().toString();
        return s.substring(0, s.length() - 1);
    }
}
