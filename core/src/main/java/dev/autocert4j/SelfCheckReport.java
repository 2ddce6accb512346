package dev.autocert4j;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What {@link ChallengeSelfCheck} found when it fetched the challenge URL the way the CA will:
 * one result per address the domain resolves to.
 *
 * @param url     the URL the CA will request
 * @param results what each address answered; empty if the name does not resolve
 * @param problem the problem found before any address was tried (such as "does not resolve"), or {@code null}
 */
public record SelfCheckReport(URI url, List<AddressResult> results, String problem) {

    /**
     * What one address answered.
     *
     * @param address the IPv4 or IPv6 address tried
     * @param passed  whether it answered the key authorization
     * @param problem what went wrong, in words an admin can act on, or {@code null} if it passed
     */
    public record AddressResult(InetAddress address, boolean passed, String problem) {
    }

    /**
     * Makes the results immutable.
     *
     * @param url the URL the CA will request
     * @param results what each address answered; empty if the name does not resolve
     * @param problem the problem found before any address was tried (such as "does not resolve"), or {@code null}
     */
    public SelfCheckReport {
        Objects.requireNonNull(url, "url");
        results = List.copyOf(results);
    }

    /** @return whether every address answered the key authorization */
    public boolean passed() {
        return problem == null && !results.isEmpty() && results.stream().allMatch(AddressResult::passed);
    }

    /** @return one line per problem found, or a line saying all is well */
    public String summary() {
        if (problem != null) {
            return "Self-check of " + url + ": " + problem;
        }
        if (passed()) {
            return "Self-check of " + url + ": every address (" + results.size() + ") answered the key authorization.";
        }
        return "Self-check of " + url + " failed:\n" + results.stream().filter(r -> !r.passed())
                .map(r -> "- " + r.problem()).collect(Collectors.joining("\n"));
    }
}
