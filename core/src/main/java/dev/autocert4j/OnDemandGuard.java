package dev.autocert4j;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The permission check that on-demand issuance cannot run without: it says whether a certificate
 * may be obtained for a name a TLS client asked for that nothing is served for yet. Without it,
 * anyone who points a domain (or a wildcard CNAME) at the server, or crawls certificate
 * transparency logs and asks for {@code www.www.www...}, makes the server order certificates
 * until the CA's rate limits stop every issuance, the portal's own renewals included.
 *
 * <p>Called on an autocert4j thread, at most once at a time per name, only for names that passed
 * the name checks of {@link OnDemandIssuance} (no IP literals, {@code localhost}, single labels or
 * malformed names) and are not remembered as refused. An exception refuses; it never allows.
 *
 * <pre>{@code
 * OnDemandGuard guard = OnDemandGuard.ask(URI.create("http://127.0.0.1:8081/domains/allowed"));
 * OnDemandGuard guard = OnDemandGuard.matching(customers::ownsDomain);
 * OnDemandGuard guard = OnDemandGuard.allowingSuffixes(".shops.example.net");
 * }</pre>
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface OnDemandGuard {

    /** How long the {@link #ask(URI)} endpoint may take before the name is refused. */
    Duration DEFAULT_ASK_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Says whether a certificate may be obtained for a name.
     *
     * @param name the name asked for, in lower case without a trailing dot
     * @return {@code true} to allow it
     * @throws Exception if the answer cannot be known: the name is refused
     */
    boolean allows(String name) throws Exception;

    /**
     * A guard that asks the host's own service, as Caddy's {@code ask} does: {@code GET <url>?domain=<name>}
     * (the name URL-encoded, added to the URL's own query if any). Any 2xx status allows; a redirect, any
     * other status, an unreachable endpoint and no answer within {@link #DEFAULT_ASK_TIMEOUT} refuse.
     *
     * @param endpoint an {@code http} or {@code https} URL
     * @return the guard
     * @throws InvalidInputException if the URL is not {@code http} or {@code https}
     */
    static OnDemandGuard ask(URI endpoint) {
        return ask(endpoint, DEFAULT_ASK_TIMEOUT);
    }

    /**
     * A guard that asks the host's own service, as {@link #ask(URI)}, with another timeout.
     *
     * @param endpoint an {@code http} or {@code https} URL
     * @param timeout  how long the answer may take, positive
     * @return the guard
     * @throws InvalidInputException if the URL is not {@code http} or {@code https}, or the timeout not positive
     */
    static OnDemandGuard ask(URI endpoint, Duration timeout) {
        return new AskGuard(Objects.requireNonNull(endpoint, "endpoint"),
                InputChecks.requirePositive(timeout, "timeout"));
    }

    /**
     * A guard that asks the host's code, such as a lookup of the domains its customers added.
     *
     * @param allowed says whether a name is allowed; called on an autocert4j thread
     * @return the guard
     */
    static OnDemandGuard matching(Predicate<String> allowed) {
        Objects.requireNonNull(allowed, "allowed");
        return allowed::test;
    }

    /**
     * A guard that allows the names under these domains: {@code .shops.example.net} (or
     * {@code shops.example.net}) allows {@code a.shops.example.net} and {@code b.a.shops.example.net},
     * not {@code shops.example.net} itself nor {@code evilshops.example.net}.
     *
     * @param suffixes the parent domains, at least one
     * @return the guard
     * @throws InvalidInputException if none is given or one has fewer than two labels
     */
    static OnDemandGuard allowingSuffixes(String... suffixes) {
        Objects.requireNonNull(suffixes, "suffixes");
        if (suffixes.length == 0) {
            throw new InvalidInputException("suffixes", "", "are empty: name at least one parent domain");
        }
        List<String> dotted = new java.util.ArrayList<>();
        for (String suffix : suffixes) {
            String bare = Objects.requireNonNull(suffix, "suffix").strip().toLowerCase(Locale.ROOT).replaceFirst("^\\.", "");
            if (bare.indexOf('.') < 1 || bare.endsWith(".")) {
                throw new InvalidInputException("suffixes", suffix, "must be a domain of two labels or more, such as"
                        + " shops.example.net");
            }
            dotted.add("." + bare);
        }
        List<String> allowed = List.copyOf(dotted);
        return name -> allowed.stream().anyMatch(suffix -> name.endsWith(suffix) && name.length() > suffix.length());
    }
}
