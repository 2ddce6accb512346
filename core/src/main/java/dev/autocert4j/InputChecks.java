package dev.autocert4j;

import dev.autocert4j.internal.net.NameSyntax;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks of host names and email addresses, made before any network call. */
final class InputChecks {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\"(),:;<>\\[\\\\\\]]+@[^@\\s\"(),:;<>\\[\\\\\\]]+\\.[^@\\s\"(),:;<>\\[\\\\\\]]+");

    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Names under these suffixes exist only inside a network: no public CA can validate them. */
    private static final List<String> PRIVATE_USE = List.of(".local", ".internal", ".lan", ".home.arpa",
            ".localdomain", ".intranet");

    private InputChecks() {
    }

    /**
     * Checks that a name can be an ACME profile name, such as {@code shortlived}.
     *
     * @param profile the name
     * @return the name
     * @throws InvalidInputException if it is not one
     */
    static String requireProfile(String profile) {
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
    static String requireCertifiableDomain(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("*")) {
            throw rejected(host, "is a wildcard; wildcard certificates need DNS-01, not the HTTP-01 challenge");
        }
        if (!NameSyntax.isDnsName(NameSyntax.unbracketed(name))) {
            throw rejected(host, "is an IP address; the certificate needs the DNS name the portal is reached by");
        }
        return requireDnsName(host, name);
    }

    /**
     * Checks that a name can go on a certificate validated with a challenge type: a DNS name
     * (see {@link #requireCertifiableDomain}), a wildcard {@code *.example.com} (DNS-01 only) or
     * an IP address (HTTP-01 and TLS-ALPN-01 only, RFC 8738).
     *
     * @param host      the name or address
     * @param challenge how the CA validates it
     * @return the name in lower case without a trailing dot, or the address in its canonical form
     * @throws InvalidInputException naming the name and what is wrong, before any network call
     */
    static String requireCertifiableName(String host, ChallengeType challenge) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("*")) {
            if (challenge != ChallengeType.DNS_01) {
                throw rejected(host, "is a wildcard; wildcard certificates need the DNS-01 challenge, not "
                        + challenge.acmeName());
            }
            if (!name.startsWith("*.")) {
                throw rejected(host, "is not a wildcard of the form *.example.com");
            }
            return "*." + requireDnsName(host, name.substring(2));
        }
        String literal = NameSyntax.unbracketed(name);
        if (!NameSyntax.isDnsName(literal)) {
            if (challenge == ChallengeType.DNS_01) {
                throw rejected(host, "is an IP address; the CA validates IP addresses over HTTP-01 or TLS-ALPN-01,"
                        + " never DNS-01");
            }
            return requireIpAddress(host, literal);
        }
        return requireDnsName(host, name);
    }

    private static String requireDnsName(String host, String lowerCase) {
        String name = lowerCase.endsWith(".") ? lowerCase.substring(0, lowerCase.length() - 1) : lowerCase;
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            throw rejected(host, "is a local name no public CA can validate; use the portal's public DNS name");
        }
        for (String suffix : PRIVATE_USE) {
            if (name.endsWith(suffix)) {
                throw rejected(host, "is a private-use name (" + suffix + ") no public CA can validate; use the"
                        + " portal's public DNS name");
            }
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

    /** An IPv4 or IPv6 literal in canonical form; never a DNS lookup. */
    private static String requireIpAddress(String host, String literal) {
        InetAddress address;
        try {
            if (IPV4.matcher(literal).matches()) {
                for (String part : literal.split("\\.")) {
                    if (Integer.parseInt(part) > 255) {
                        throw rejected(host, "is not a valid IPv4 address");
                    }
                }
            } else if (!IPV6.matcher(literal).matches()) {
                throw rejected(host, "is not a valid IP address");
            }
            address = InetAddress.getByName(literal); // a literal: parsed, not looked up
        } catch (java.net.UnknownHostException | NumberFormatException e) {
            throw rejected(host, "is not a valid IP address");
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            throw rejected(host, "is not an address a server can be reached at");
        }
        return address.getHostAddress();
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
    static String requireEmail(String email) {
        String address = email.strip();
        if (address.length() > 254 || !EMAIL.matcher(address).matches()) {
            throw new InvalidInputException("email", email, "is not an email address like admin@example.com");
        }
        return address;
    }

    /**
     * Checks an external account binding key id.
     *
     * @param keyId the key id the CA gave
     * @return it without surrounding blanks
     * @throws InvalidInputException if it is blank
     */
    static String requireEabKeyId(String keyId) {
        if (keyId.isBlank()) {
            throw new InvalidInputException("externalAccountKeyId", keyId, "must not be blank");
        }
        return keyId.strip();
    }

    /**
     * Checks an external account binding HMAC key, a secret the message never shows.
     *
     * @param hmacKey the base64url-encoded HMAC key
     * @return it without surrounding blanks
     * @throws InvalidInputException if it is not base64url-encoded
     */
    static String requireEabHmacKey(String hmacKey) {
        if (!hmacKey.strip().matches("[A-Za-z0-9_\\-=]+")) {
            throw new InvalidInputException("externalAccountHmacKey", null, "must be base64url-encoded");
        }
        return hmacKey.strip();
    }

    /** @return the domain in lower case, without white space around it or a trailing dot */
    static String normalizedDomain(String domain) {
        java.util.Objects.requireNonNull(domain, "domain");
        String name = domain.strip().toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** @return the duration, when it is positive */
    static java.time.Duration requirePositive(java.time.Duration duration, String name) {
        java.util.Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new InvalidInputException(name, duration.toString(), "must be positive");
        }
        return duration;
    }

    /** @return the number, when it is at least 1 */
    static int requireAtLeastOne(int number, String name) {
        if (number < 1) {
            throw new InvalidInputException(name, String.valueOf(number), "must be at least 1");
        }
        return number;
    }

    /** Refuses to build without a CA, a binding provider, a challenge solver or a store, saying how to give each. */
    static void requireBuilderParts(List<CertificateAuthority> cas, Object bindingProvider,
                                    Map<ChallengeType, ?> solvers, CertificateStore store) {
        requireBuilderPart(cas.isEmpty() ? null : cas, "certificateAuthority");
        requireBuilderPart(bindingProvider, "bindingProvider");
        requireBuilderPart(solvers.isEmpty() ? null : solvers, "challengeSolver");
        requireBuilderPart(store, "certificateStore");
    }

    /** The CAs in order, each directory once. */
    static List<CertificateAuthority> requireDistinctDirectories(CertificateAuthority first,
                                                                 CertificateAuthority... fallbacks) {
        List<CertificateAuthority> all = new ArrayList<>();
        all.add(Objects.requireNonNull(first, "first"));
        for (CertificateAuthority fallback : Objects.requireNonNull(fallbacks, "fallbacks")) {
            Objects.requireNonNull(fallback, "a fallback CA");
            if (all.stream().anyMatch(ca -> ca.directory().equals(fallback.directory()))) {
                throw new InvalidInputException("certificateAuthorities", fallback.directory().toString(),
                        "is given twice: each CA holds one account, give each directory once");
            }
            all.add(fallback);
        }
        return List.copyOf(all);
    }

    /** @return the names, if there is at least one */
    static List<String> requireSomeNames(List<String> names) {
        Objects.requireNonNull(names, "names");
        if (names.isEmpty()) {
            throw new InvalidInputException("names", null, "is empty: name at least the binding's host");
        }
        return names;
    }

    /** Refuses to build without a required part, saying how to give it. */
    static void requireBuilderPart(Object part, String name) {
        if (part == null) {
            throw new IllegalStateException(name + " is required: call AutoCert.builder()." + name
                    + "(...), or install a plugin for it and call loadPlugins(..)");
        }
    }
}
