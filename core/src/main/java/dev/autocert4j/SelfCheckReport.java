package dev.autocert4j;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What {@link ChallengeSelfCheck} found when it fetched the challenge URL the way the CA will:
 * one result per address the domain resolves to. Immutable.
 */
public final class SelfCheckReport {

    /** What one address answered. Immutable. */
    public static final class AddressResult {
        private final InetAddress address;
        private final boolean passed;
        private final String problem;

        /**
         * @param address the IPv4 or IPv6 address tried
         * @param passed  whether it answered the key authorization
         * @param problem what went wrong, in words an admin can act on, or {@code null} if it passed
         */
        public AddressResult(InetAddress address, boolean passed, String problem) {
            this.address = Objects.requireNonNull(address, "address");
            this.passed = passed;
            this.problem = problem;
        }

        /** @return the IPv4 or IPv6 address tried */
        public InetAddress address() {
            return address;
        }

        /** @return whether it answered the key authorization */
        public boolean passed() {
            return passed;
        }

        /** @return what went wrong, in words an admin can act on, or {@code null} if it passed */
        public String problem() {
            return problem;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof AddressResult that && address.equals(that.address) && passed == that.passed
                    && Objects.equals(problem, that.problem);
        }

        @Override
        public int hashCode() {
            return Objects.hash(address, passed, problem);
        }

        @Override
        public String toString() {
            return "AddressResult[" + address.getHostAddress() + (passed ? ", passed" : ", " + problem) + "]";
        }
    }

    private final URI url;
    private final List<AddressResult> results;
    private final String problem;

    /**
     * @param url     the URL the CA will request
     * @param results what each address answered; empty if the name does not resolve
     * @param problem the problem found before any address was tried (such as "does not resolve"), or {@code null}
     */
    public SelfCheckReport(URI url, List<AddressResult> results, String problem) {
        this.url = Objects.requireNonNull(url, "url");
        this.results = List.copyOf(results);
        this.problem = problem;
    }

    /** @return the URL the CA will request */
    public URI url() {
        return url;
    }

    /** @return what each address answered; empty if the name does not resolve */
    public List<AddressResult> results() {
        return results;
    }

    /** @return the problem found before any address was tried (such as "does not resolve"), or {@code null} */
    public String problem() {
        return problem;
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

    @Override
    public boolean equals(Object other) {
        return other instanceof SelfCheckReport that && url.equals(that.url) && results.equals(that.results)
                && Objects.equals(problem, that.problem);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, results, problem);
    }

    @Override
    public String toString() {
        return summary();
    }
}
