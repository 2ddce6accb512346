package dev.autocert4j.admin;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One HTTP request to the admin page, as a mount read it from its server: method, path, headers,
 * body, the client's address and whether it came over TLS. Mounts read at most
 * {@link #MAX_BODY_BYTES} plus one byte of the body; the console refuses a larger one.
 */
public final class AdminRequest {

    /** The largest body the console reads, in bytes; a mount needs to read at most one more. */
    public static final int MAX_BODY_BYTES = 16_384;

    private final String method;
    private final String path;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final InetAddress remoteAddress;
    private final boolean secure;
    private final Object nativeRequest;

    private AdminRequest(Builder builder) {
        this.method = builder.method;
        this.path = builder.path;
        Map<String, List<String>> copy = new LinkedHashMap<>();
        builder.headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = builder.body.clone();
        this.remoteAddress = builder.remoteAddress;
        this.secure = builder.secure;
        this.nativeRequest = builder.nativeRequest;
    }

    /**
     * Starts a request.
     *
     * @param method the HTTP method, such as {@code GET}
     * @param path   the request's path without the query, such as {@code /autocert4j/api/v1/state}
     * @return a builder
     */
    public static Builder builder(String method, String path) {
        return new Builder(method, path);
    }

    /** @return the HTTP method, upper case */
    public String method() {
        return method;
    }

    /** @return the path without the query */
    public String path() {
        return path;
    }

    /**
     * @param name a header's name, in any case
     * @return the header's first value, if the request has it
     */
    public Optional<String> header(String name) {
        return headers(name).stream().findFirst();
    }

    /**
     * @param name a header's name, in any case
     * @return every value of the header, in the order received; empty if none
     */
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** @return a copy of the body (empty for none) */
    public byte[] body() {
        return body.clone();
    }

    int bodyLength() {
        return body.length;
    }

    /** @return the client's address, as the server saw the connection */
    public InetAddress remoteAddress() {
        return remoteAddress;
    }

    /** @return whether the request came over TLS */
    public boolean isSecure() {
        return secure;
    }

    /**
     * The server's own request object, for an authenticator that reads the container's login.
     *
     * @param type the type expected, such as {@code jakarta.servlet.http.HttpServletRequest}
     * @param <T>  that type
     * @return the mount's request object, if the mount passed one of that type
     */
    public <T> Optional<T> nativeRequest(Class<T> type) {
        return type.isInstance(nativeRequest) ? Optional.of(type.cast(nativeRequest)) : Optional.empty();
    }

    /** A builder of {@link AdminRequest}, used by mounts. */
    public static final class Builder {
        private final String method;
        private final String path;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        private InetAddress remoteAddress = InetAddress.getLoopbackAddress();
        private boolean secure;
        private Object nativeRequest;

        private Builder(String method, String path) {
            this.method = requireNonNull(method, "method").toUpperCase(Locale.ROOT);
            this.path = requireNonNull(path, "path");
        }

        /**
         * Adds a header value; call once per value.
         *
         * @param name  the header's name, in any case
         * @param value its value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(requireNonNull(name, "name").toLowerCase(Locale.ROOT), key -> new ArrayList<>())
                    .add(requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param body the body's bytes, at most {@link #MAX_BODY_BYTES} plus one read
         * @return this builder
         */
        public Builder body(byte[] body) {
            this.body = requireNonNull(body, "body").clone();
            return this;
        }

        /**
         * @param remoteAddress the client's address (login throttling and audit lines use it)
         * @return this builder
         */
        public Builder remoteAddress(InetAddress remoteAddress) {
            this.remoteAddress = requireNonNull(remoteAddress, "remoteAddress");
            return this;
        }

        /**
         * @param secure whether the request came over TLS (cookies are then {@code Secure})
         * @return this builder
         */
        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        /**
         * @param nativeRequest the server's own request object, for authenticators that read it
         * @return this builder
         */
        public Builder nativeRequest(Object nativeRequest) {
            this.nativeRequest = requireNonNull(nativeRequest, "nativeRequest");
            return this;
        }

        /** @return the request */
        public AdminRequest build() {
            return new AdminRequest(this);
        }
    }
}
