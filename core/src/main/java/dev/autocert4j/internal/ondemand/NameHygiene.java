package dev.autocert4j.internal.ondemand;

import dev.autocert4j.internal.net.NameSyntax;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The checks a name asked for by a TLS client passes before anyone is asked about it: never an IP
 * literal, {@code localhost}, a private-use or single-label name, a malformed or over-long name, nor a
 * name under the portal's own domains that is not configured (a typo or a probe, never a customer's).
 */
final class NameHygiene {

    private static final int MOST_CHARACTERS = 253;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final List<String> LOCAL_SUFFIXES = List.of(".localhost", ".local", ".internal", ".lan",
            ".home.arpa", ".localdomain", ".intranet", ".invalid");

    private final List<String> ownDomains;
    private final Predicate<String> configured;

    /**
     * @param ownDomains the portal's own domains, lower case without dots at either end
     * @param configured whether a name is one the host configured (a binding's or an enrollment's)
     */
    NameHygiene(List<String> ownDomains, Predicate<String> configured) {
        this.ownDomains = List.copyOf(ownDomains);
        this.configured = configured;
    }

    /** @return why the name is refused, or empty if it may be asked about */
    Optional<String> refusal(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("no name");
        }
        if (name.length() > MOST_CHARACTERS) {
            return Optional.of("longer than " + MOST_CHARACTERS + " characters");
        }
        if (NameSyntax.isIpAddress(name) || name.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
            return Optional.of("an IP address");
        }
        if (name.equals("localhost") || LOCAL_SUFFIXES.stream().anyMatch(name::endsWith)) {
            return Optional.of("a local name");
        }
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2) {
            return Optional.of("a single label");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.of("malformed");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            return Optional.of("malformed (numeric top-level domain)");
        }
        for (String own : ownDomains) {
            if ((name.equals(own) || name.endsWith("." + own)) && !configured.test(name)) {
                return Optional.of("under the portal's own domain " + own + " but not configured");
            }
        }
        return Optional.empty();
    }
}
