package dev.autocert4j.admin;

import dev.autocert4j.AutoCert;
import dev.autocert4j.Binding;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The checks that come before any login: the {@code Host} a request names (a page reached through
 * DNS rebinding names the attacker's host) and, on a state change, the {@code Origin} the browser
 * reports (a form on another site names that site).
 */
final class RequestGuard {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    private final AutoCert autoCert;
    private final Set<String> allowedHosts;

    /**
     * @param allowedHosts host names (without port) the page answers to; empty for the defaults:
     *                     the loopback names and the host of every binding the server listens on
     */
    RequestGuard(AutoCert autoCert, Set<String> allowedHosts) {
        this.autoCert = autoCert;
        this.allowedHosts = allowedHosts;
    }

    /** @return whether the request names, in exactly one {@code Host} header, a host the page answers to */
    boolean hostAllowed(AdminRequest request) {
        List<String> hosts = request.headers("Host");
        if (hosts.size() != 1) {
            return false;
        }
        return hostName(hosts.get(0)).map(this::isAllowedHost).orElse(false);
    }

    private boolean isAllowedHost(String name) {
        if (!allowedHosts.isEmpty()) {
            return allowedHosts.contains(name);
        }
        if (LOOPBACK.contains(name)) {
            return true;
        }
        Set<String> bindingHosts = new HashSet<>();
        for (Binding binding : autoCert.bindings()) {
            bindingHosts.add(binding.host().toLowerCase(Locale.ROOT));
        }
        return bindingHosts.contains(name);
    }

    /**
     * @return whether a state change comes from the page itself: its {@code Origin}, when the browser
     * sends one, has the request's own host and port; without one, {@code Sec-Fetch-Site}, when sent,
     * says same-origin
     */
    boolean originAllowed(AdminRequest request) {
        List<String> origins = request.headers("Origin");
        if (origins.isEmpty()) {
            String site = request.header("Sec-Fetch-Site").orElse("same-origin").strip().toLowerCase(Locale.ROOT);
            return site.equals("same-origin") || site.equals("none");
        }
        if (origins.size() != 1) {
            return false;
        }
        Optional<String> host = request.header("Host");
        return host.isPresent() && originAuthority(origins.get(0)).map(authority -> sameAuthority(authority, host.get(),
                origins.get(0).strip().toLowerCase(Locale.ROOT).startsWith("https:"))).orElse(false);
    }

    private static Optional<String> originAuthority(String origin) {
        try {
            URI uri = new URI(origin.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getRawAuthority() == null
                    || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(uri.getRawAuthority().toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static boolean sameAuthority(String originAuthority, String host, boolean https) {
        String defaultPort = https ? ":443" : ":80";
        return withPort(originAuthority, defaultPort).equals(withPort(host.strip().toLowerCase(Locale.ROOT), defaultPort));
    }

    private static String withPort(String authority, String defaultPort) {
        boolean hasPort = authority.startsWith("[") ? authority.contains("]:") : authority.contains(":");
        return hasPort ? authority : authority + defaultPort;
    }

    /** @return the host name of a {@code Host} header, lower case, without the port; empty if malformed */
    static Optional<String> hostName(String header) {
        String value = header.strip().toLowerCase(Locale.ROOT);
        if (value.isEmpty() || value.contains("@") || value.contains("/")) {
            return Optional.empty();
        }
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? Optional.empty() : Optional.of(value.substring(0, end + 1));
        }
        int colon = value.indexOf(':');
        String name = colon < 0 ? value : value.substring(0, colon);
        return name.isEmpty() ? Optional.empty() : Optional.of(name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
    }
}
