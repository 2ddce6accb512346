package dev.autocert4j.internal.caa;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of an {@code issue} or {@code issuewild} property (RFC 8659 section 4.2): an optional
 * issuer domain, then optional {@code ;}-separated {@code tag=value} parameters, of which RFC 8657's
 * {@code accounturi} and {@code validationmethods} restrict whom and how the CA may issue for.
 *
 * @param issuerDomain the issuer domain, lower case, or empty for none ({@code ";"}: no CA may issue)
 * @param parameters   the parameters by lower-case tag
 */
record IssuerValue(String issuerDomain, Map<String, String> parameters) {

    private static final String LABEL = "[A-Za-z0-9](?:-*[A-Za-z0-9])*";
    private static final Pattern ISSUER_DOMAIN = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");
    private static final Pattern PARAMETER = Pattern.compile("(" + LABEL + ")[ \\t]*=[ \\t]*([\\x21-\\x3a\\x3c-\\x7e]*)");
    private static final Pattern METHODS = Pattern.compile(LABEL + "(?:," + LABEL + ")*");

    /**
     * Reads a value.
     *
     * @param value the property value, one char per octet
     * @return the value, or empty if it does not follow the grammar (then it lets no CA issue)
     */
    static Optional<IssuerValue> parse(String value) {
        int semicolon = value.indexOf(';');
        String domain = trimWhitespace(semicolon < 0 ? value : value.substring(0, semicolon));
        if (!domain.isEmpty() && !ISSUER_DOMAIN.matcher(domain).matches()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        String rest = semicolon < 0 ? "" : trimWhitespace(value.substring(semicolon + 1));
        if (!rest.isEmpty()) {
            for (String parameter : rest.split(";", -1)) {
                Matcher matcher = PARAMETER.matcher(trimWhitespace(parameter));
                if (!matcher.matches()
                        || parameters.putIfAbsent(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(2)) != null) {
                    return Optional.empty(); // a repeated parameter is as unreadable as a broken one
                }
            }
        }
        return Optional.of(new IssuerValue(domain.toLowerCase(Locale.ROOT), Map.copyOf(parameters)));
    }

    /** Strips RFC 5234's WSP (space and tab) only: anything else is not whitespace in this grammar. */
    private static String trimWhitespace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    /**
     * Whether this value lets a CA issue.
     *
     * @param identity  one of the CA's issuer domains, lower case
     * @param account   the ACME account's URL at the CA
     * @param challenge the ACME name of the challenge used, such as {@code dns-01}
     * @return {@code true} if the domain is the CA's and every restriction this value sets is met
     */
    boolean permits(String identity, String account, String challenge) {
        if (!issuerDomain.equals(identity)) {
            return false;
        }
        String accountUri = parameters.get("accounturi");
        if (accountUri != null && !accountUri.equals(account)) {
            return false;
        }
        String methods = parameters.get("validationmethods");
        return methods == null
                || METHODS.matcher(methods).matches() && Arrays.asList(methods.split(",")).contains(challenge);
    }
}
