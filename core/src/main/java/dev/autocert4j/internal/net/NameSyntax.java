package dev.autocert4j.internal.net;

import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * What kind of name a string is: a DNS name or an IP address literal, private or public. Pure
 * functions of the text (an address literal is parsed, never looked up), free of the API's types,
 * so the API's values and the engine can both use them.
 */
public final class NameSyntax {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private NameSyntax() {
    }

    /**
     * @param address an IP address in canonical form
     * @return whether it is private, loopback or link-local: no public CA validates it
     */
    public static boolean isPrivateAddress(String address) {
        try {
            InetAddress ip = InetAddress.getByName(address);
            return ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress()
                    || (ip.getAddress().length == 16 && (ip.getAddress()[0] & 0xfe) == 0xfc); // IPv6 unique local
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * @param name a host name, or an IPv6 literal in brackets
     * @return the name without the brackets
     */
    public static String unbracketed(String name) {
        return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
    }

    /**
     * @param name a host name or address
     * @return whether it is a DNS name rather than an IPv4 or IPv6 address literal
     */
    public static boolean isDnsName(String name) {
        return !(name.contains(":") || IPV4.matcher(name).matches());
    }

    /**
     * @param name a name on a certificate
     * @return whether it is an IPv4 or IPv6 address
     */
    public static boolean isIpAddress(String name) {
        return !isDnsName(unbracketed(name)) && !name.startsWith("*");
    }

    /**
     * The name a validator sends by SNI for an IP address (RFC 8738 section 6): its reverse DNS name.
     *
     * @param address an IP address in canonical form
     * @return {@code 1.0.0.127.in-addr.arpa} for {@code 127.0.0.1}, the nibble form under {@code ip6.arpa} for IPv6
     */
    public static String reverseName(String address) {
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress(); // a literal: parsed, not looked up
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + address, e);
        }
        StringBuilder name = new StringBuilder();
        if (bytes.length == 4) {
            for (int i = 3; i >= 0; i--) {
                name.append(bytes[i] & 0xff).append('.');
            }
            return name.append("in-addr.arpa").toString();
        }
        for (int i = bytes.length - 1; i >= 0; i--) {
            name.append(Character.forDigit(bytes[i] & 0x0f, 16)).append('.')
                    .append(Character.forDigit((bytes[i] >> 4) & 0x0f, 16)).append('.');
        }
        return name.append("ip6.arpa").toString();
    }
}
