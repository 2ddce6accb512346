package dev.autocert4j.internal;

import dev.autocert4j.InvalidInputException;

import java.util.Locale;
import java.util.regex.Pattern;

/** Checks of host names and email addresses, made before any network call. */
public final class InputChecks {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\"(),:;<>\\[\\\\\\]]+@[^@\\s\"(),:;<>\\[\\\\\\]]+\\.[^@\\s\"(),:;<>\\[\\\\\\]]+");

    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private InputChecks() {
    }

    /**
     * Checks that a name can be an ACME profile name, such as {@code shortlived}.
     *
     * @param profile the name
     * @return the name
     * @throws InvalidInputException if it is not one
     */
    public static String requireProfile(String profile) {
        java.util.Objects.requireNonNull(profile, "profile");
        if (!PROFILE.matcher(profile).matches()) {
            throw new InvalidInputException("profile", profile, "is not an ACME profile name such as 'shortlived'");
        }
        return profile;
    }

    /**
     * Checks that a host name is a DNS name a CA can certify with HTTP-01: not an IP address,
     * not {@code localhost}, at least two labels, no wildcard.
     *
     * @param host the host name
     * @return the name in lower case, without a trailing dot
     * @throws InvalidInputException naming the host and what is wrong
     */
    public static String requireCertifiableDomain(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.startsWith("*")) {
            throw rejected(host, "is a wildcard; wildcard certificates need DNS-01, not the HTTP-01 challenge");
        }
        if (name.contains(":") || IPV4.matcher(name).matches()) {
            throw rejected(host, "is an IP address; the certificate needs the DNS name the portal is reached by");
        }
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            throw rejected(host, "is a local name no public CA can validate; use the portal's public DNS name");
        }
        if (name.length() > 253) {
            throw rejected(host, "is longer than 253 characters");
        }
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2) {
            throw rejected(host, "is a single label; use a fully qualified name such as portal.example.com");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw rejected(host, "is not a valid DNS name (label '" + label + "')");
            }
        }
        return name;
    }

    /**
     * @param name a host name or address
     * @return whether it is a DNS name rather than an IPv4 or IPv6 address literal
     */
    public static boolean isDnsName(String name) {
        return !(name.contains(":") || IPV4.matcher(name).matches());
    }

    private static InvalidInputException rejected(String host, String problem) {
        return new InvalidInputException("domain", host, problem);
    }

    /**
     * Checks that an email address has the form {@code local@domain.tld}, without spaces or
     * characters that would break a {@code mailto:} URI.
     *
     * @param email the address
     * @return the address, stripped
     * @throws InvalidInputException if it is malformed
     */
    public static String requireEmail(String email) {
        String address = email.strip();
        if (address.length() > 254 || !EMAIL.matcher(address).matches()) {
            throw new InvalidInputException("email", email, "is not an email address like admin@example.com");
        }
        return address;
    }
}
