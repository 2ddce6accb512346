package dev.autocert4j.dns.providers;

import dev.autocert4j.InvalidInputException;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks what a provider is asked to write, and the addresses it is told to talk to, before any
 * program runs or any request leaves: a record name that is a DNS name inside its zone, a value
 * that is one TXT string of printable text, and an API address that is HTTPS unless it is on this
 * machine.
 */
final class RecordInput {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");
    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_VALUE_LENGTH = 255;

    private RecordInput() {
    }

    /**
     * @param name a domain name, with or without its trailing dot
     * @param what what it is, for messages, such as {@code "zone"}
     * @return the name in lower case without its trailing dot
     * @throws InvalidInputException if it is not a syntactically valid DNS name
     */
    static String dnsName(String name, String what) {
        if (name == null) {
            throw new InvalidInputException(what, null, "is required");
        }
        String bare = (name.endsWith(".") ? name.substring(0, name.length() - 1) : name).toLowerCase(Locale.ROOT);
        if (bare.isEmpty() || bare.length() > MAX_NAME_LENGTH) {
            throw new InvalidInputException(what, name, "is not a DNS name (1 to 253 characters)");
        }
        for (String label : bare.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new InvalidInputException(what, name, "is not a DNS name: each label has 1 to 63 letters, digits,"
                        + " hyphens or underscores, and no hyphen at either end");
            }
        }
        return bare;
    }

    /**
     * @param zone the zone
     * @param name a record's full name, with or without its trailing dot
     * @return the name in lower case without its trailing dot
     * @throws InvalidInputException if either is not a DNS name, or the name is not inside the zone
     */
    static String recordName(String zone, String name) {
        String bareZone = dnsName(zone, "zone");
        String bareName = dnsName(name, "record name");
        if (!bareName.equals(bareZone) && !bareName.endsWith("." + bareZone)) {
            throw new InvalidInputException("record name", name, "is not inside the zone " + bareZone);
        }
        return bareName;
    }

    /**
     * @param value a TXT value
     * @return the value
     * @throws InvalidInputException if it is empty, longer than one TXT string (255 characters) or holds
     *                               anything but printable ASCII
     */
    static String txtValue(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
            throw new InvalidInputException("TXT value", value, "must have 1 to 255 characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new InvalidInputException("TXT value", null, "holds a character that is not printable ASCII (at "
                        + i + ")");
            }
        }
        return value;
    }

    /**
     * Reads an API address: HTTPS, or HTTP only to this machine (a loopback address or
     * {@code localhost}), so that a credential never crosses a network in clear text.
     *
     * @param setting the setting's name, for messages
     * @param text    the address
     * @return the address, without a trailing slash
     * @throws InvalidInputException if it is not an absolute http(s) URL, has user info, a query or
     *                               a fragment, or is plain HTTP to another machine
     */
    static URI apiUrl(String setting, String text) {
        URI uri;
        try {
            uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (URISyntaxException e) {
            throw new InvalidInputException(setting, text, "is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new InvalidInputException(setting, text, "must be an https:// URL with a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidInputException(setting, null, "must not hold a user, a query or a fragment (put credentials"
                    + " in their own settings)");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new InvalidInputException(setting, text, "must use https: plain http is allowed only to this machine"
                    + " (127.0.0.1, [::1] or localhost)");
        }
        return uri;
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost") || IPV4_LOOPBACK.matcher(host).matches()) {
            return true;
        }
        if (!host.startsWith("[")) {
            return false; // a name other than localhost is never looked up here
        }
        try {
            return InetAddress.getByName(host.substring(1, host.length() - 1)).isLoopbackAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
