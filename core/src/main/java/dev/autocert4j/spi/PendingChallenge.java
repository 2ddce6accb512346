package dev.autocert4j.spi;

import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.internal.net.NameSyntax;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One challenge the certificate authority is about to validate, as a {@link ChallengeSolver} gets
 * it: the challenge type, the identifier being validated, the token and the key authorization, and
 * for DNS-01 the TXT record's name and value (RFC 8555 section 8.4).
 *
 * <p>Every value is checked when it is made: the identifier is a DNS name (a wildcard only for
 * DNS-01) or an IP address (never for DNS-01), the token is base64url, and the key authorization is
 * the token, a dot and a base64url thumbprint. A solver may therefore put them in a path, a file
 * name or a DNS record as they are. {@link #toString()} names the type and identifier only.
 *
 * @since 0.2.0
 */
public final class PendingChallenge {

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final int LONGEST_TOKEN = 512;
    private static final int LONGEST_NAME = 253;

    private final ChallengeType type;
    private final String identifier;
    private final String token;
    private final String keyAuthorization;

    private PendingChallenge(ChallengeType type, String identifier, String token, String keyAuthorization) {
        this.type = type;
        this.identifier = identifier;
        this.token = token;
        this.keyAuthorization = keyAuthorization;
    }

    /**
     * Makes a pending challenge, checking each value.
     *
     * @param type             the challenge type
     * @param identifier       the name being validated as the CA gives it: a DNS name,
     *                         {@code *.}-prefixed for a wildcard (DNS-01 only), or an IP address
     * @param token            the challenge token, base64url
     * @param keyAuthorization the key authorization: the token, a dot and the account key's thumbprint
     * @return the pending challenge
     * @throws InvalidInputException if a value is malformed, naming it
     */
    public static PendingChallenge of(ChallengeType type, String identifier, String token, String keyAuthorization) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(keyAuthorization, "keyAuthorization");
        requireIdentifier(type, identifier);
        if (token.length() > LONGEST_TOKEN || !BASE64URL.matcher(token).matches()) {
            throw new InvalidInputException("token", shortened(token), "is not a base64url challenge token");
        }
        String thumbprint = keyAuthorization.startsWith(token + ".") ? keyAuthorization.substring(token.length() + 1) : "";
        if (thumbprint.length() > LONGEST_TOKEN || !BASE64URL.matcher(thumbprint).matches()) {
            throw new InvalidInputException("keyAuthorization", null, "is not the token, a dot and a base64url thumbprint");
        }
        return new PendingChallenge(type, identifier, token, keyAuthorization);
    }

    private static void requireIdentifier(ChallengeType type, String identifier) {
        boolean wildcard = identifier.startsWith("*.");
        String name = wildcard ? identifier.substring(2) : identifier;
        if (NameSyntax.isIpAddress(identifier)) {
            if (type == ChallengeType.DNS_01) {
                throw new InvalidInputException("identifier", identifier, "is an IP address, which DNS-01 cannot validate");
            }
            if (!isIpLiteral(identifier)) {
                throw new InvalidInputException("identifier", identifier, "is not an IP address");
            }
            return;
        }
        if (wildcard && type != ChallengeType.DNS_01) {
            throw new InvalidInputException("identifier", identifier, "is a wildcard, which only DNS-01 can validate");
        }
        if (!isDnsName(name)) {
            throw new InvalidInputException("identifier", shortened(identifier), "is not a DNS name");
        }
    }

    private static boolean isDnsName(String name) {
        if (name.isEmpty() || name.length() > LONGEST_NAME) {
            return false;
        }
        for (String label : name.toLowerCase(Locale.ROOT).split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpLiteral(String address) {
        String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        if (!literal.contains(":")) {
            return literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                    && java.util.Arrays.stream(literal.split("\\.")).allMatch(part -> Integer.parseInt(part) <= 255);
        }
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            java.net.InetAddress.getByName(literal); // with a colon it is parsed as an IPv6 literal, never looked up
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static String shortened(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...";
    }

    /** @return the challenge type */
    public ChallengeType type() {
        return type;
    }

    /**
     * @return the identifier being validated as the CA gave it: a DNS name ({@code *.}-prefixed for
     *         a wildcard) or an IP address
     */
    public String identifier() {
        return identifier;
    }

    /**
     * @return the name the CA validates: the identifier, without the {@code *.} of a wildcard
     *         (DNS-01 validates {@code *.example.com} at {@code example.com})
     */
    public String validatedName() {
        return identifier.startsWith("*.") ? identifier.substring(2) : identifier;
    }

    /** @return the challenge token (base64url characters only) */
    public String token() {
        return token;
    }

    /** @return the key authorization: the token, a dot and the account key's thumbprint */
    public String keyAuthorization() {
        return keyAuthorization;
    }

    /**
     * @return the name of the DNS-01 TXT record, {@code _acme-challenge.<validated name>}
     * @throws IllegalStateException if this is not a DNS-01 challenge
     */
    public String txtRecordName() {
        requireDns01("txtRecordName");
        return "_acme-challenge." + validatedName();
    }

    /**
     * @return the value of the DNS-01 TXT record: the SHA-256 of the key authorization, base64url
     *         without padding (RFC 8555 section 8.4)
     * @throws IllegalStateException if this is not a DNS-01 challenge
     */
    public String txtValue() {
        requireDns01("txtValue");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyAuthorization.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private void requireDns01(String what) {
        if (type != ChallengeType.DNS_01) {
            throw new IllegalStateException(what + " belongs to DNS-01; this is a " + type.acmeName() + " challenge");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PendingChallenge that && type == that.type && identifier.equals(that.identifier)
                && token.equals(that.token) && keyAuthorization.equals(that.keyAuthorization);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, identifier, token, keyAuthorization);
    }

    /** Names the type and the identifier; never the key authorization. */
    @Override
    public String toString() {
        return "PendingChallenge[" + type.acmeName() + " " + identifier + "]";
    }
}
