package dev.autocert4j;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The check of CAA records (RFC 8659, with RFC 8657's {@code accounturi} and
 * {@code validationmethods}) made before any order: each name's relevant CAA records must let the
 * CA issue, for this account and the challenge used, or the order is never sent. The CA is known by
 * the {@code caaIdentities} of its directory, else by the identities given here; a CA with neither
 * is not checked. A lookup that fails (SERVFAIL, a timeout) is logged and leaves the name to the
 * CA, which reads CAA itself. Immutable; the {@code with...} methods return a copy. On by default,
 * asking the system's resolvers.
 *
 * @since 0.2.0
 */
public final class CaaCheck {

    private static final Pattern ISSUER_DOMAIN = Pattern.compile(
            "[a-z0-9](-*[a-z0-9])*(\\.[a-z0-9](-*[a-z0-9])*)*");
    private static final CaaCheck STANDARD = new CaaCheck(true, List.of(), List.of());
    private static final CaaCheck OFF = new CaaCheck(false, List.of(), List.of());

    private final boolean enabled;
    private final List<InetSocketAddress> resolvers;
    private final List<String> identities;

    private CaaCheck(boolean enabled, List<InetSocketAddress> resolvers, List<String> identities) {
        this.enabled = enabled;
        this.resolvers = resolvers;
        this.identities = identities;
    }

    /** @return the check through the system's resolvers, with the identities the CA's directory lists */
    public static CaaCheck standard() {
        return STANDARD;
    }

    /**
     * The check turned off, for a CA or a network where it cannot work (a private CA that ignores
     * CAA, a host whose resolvers cannot be reached): the CA alone then decides.
     *
     * @return no check
     */
    public static CaaCheck off() {
        return OFF;
    }

    /**
     * Returns a copy that asks these resolvers, in turn until one answers, instead of the system's.
     *
     * @param resolvers recursive resolvers, at least one
     * @return the check asking them
     * @throws InvalidInputException if the list is empty or an address is unresolved
     */
    public CaaCheck withResolvers(List<InetSocketAddress> resolvers) {
        Objects.requireNonNull(resolvers, "resolvers");
        if (resolvers.isEmpty()) {
            throw new InvalidInputException("resolvers", "[]", "must name at least one resolver");
        }
        for (InetSocketAddress resolver : resolvers) {
            if (resolver.isUnresolved()) {
                throw new InvalidInputException("resolver", resolver.getHostString(), "must be an IP address");
            }
        }
        return new CaaCheck(true, List.copyOf(resolvers), identities);
    }

    /**
     * Returns a copy that knows the CA by these issuer domains where its directory lists no
     * {@code caaIdentities} (Pebble, some private CAs); a directory that lists some wins.
     *
     * @param issuerDomains the domains CAA {@code issue} records name the CA by, such as {@code letsencrypt.org}
     * @return the check with these identities
     * @throws InvalidInputException if one is not a domain name
     */
    public CaaCheck withIdentities(List<String> issuerDomains) {
        Objects.requireNonNull(issuerDomains, "issuerDomains");
        List<String> checked = issuerDomains.stream().map(CaaCheck::requireIssuerDomain).toList();
        return new CaaCheck(true, resolvers, checked);
    }

    private static String requireIssuerDomain(String domain) {
        String lower = Objects.requireNonNull(domain, "issuer domain").strip().toLowerCase(Locale.ROOT);
        if (!ISSUER_DOMAIN.matcher(lower).matches() || lower.length() > 253) {
            throw new InvalidInputException("CAA identity", domain, "is not a domain name such as letsencrypt.org");
        }
        return lower;
    }

    /** @return whether names are checked before ordering */
    public boolean enabled() {
        return enabled;
    }

    /** @return the resolvers asked in turn; empty for the system's */
    public List<InetSocketAddress> resolvers() {
        return resolvers;
    }

    /** @return the identities used where the CA's directory lists none, lower case */
    public List<String> identities() {
        return identities;
    }

    @Override
    public String toString() {
        return enabled ? "CAA check (resolvers " + (resolvers.isEmpty() ? "of the system" : resolvers) + ")" : "no CAA check";
    }
}
