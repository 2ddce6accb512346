package dev.autocert4j;

import java.net.URI;
import java.util.Optional;

/**
 * The certificate authority could not validate the domain. The message reads like
 * {@code The Let's Encrypt HTTP challenge failed with status 'invalid'} (or TLS-ALPN, DNS), followed
 * by the URL the CA requested (or what it looked at) and the CA's own problem detail.
 */
public class ChallengeFailedException extends CertificateAuthorityException {

    /** The challenge's final status. */
    private final String status;
    /** The URL the CA requested. */
    private final URI challengeUrl;
    /** The CA's problem detail, or null. */
    private final String detail;

    /** The challenge type that failed. */
    private final ChallengeType type;

    /**
     * Creates an exception for an HTTP-01 challenge.
     *
     * @param caName       the name of the certificate authority, such as {@code "Let's Encrypt"}
     * @param status       the final status of the challenge, such as {@code "invalid"}
     * @param challengeUrl the URL the CA requested
     * @param problemType  the ACME problem type, or {@code null}
     * @param detail       the CA's problem detail, or {@code null}
     */
    public ChallengeFailedException(String caName, String status, URI challengeUrl, URI problemType, String detail) {
        this(caName, ChallengeType.HTTP_01, status, challengeUrl, problemType, detail);
    }

    /**
     * Creates an exception for any challenge type.
     *
     * @param caName       the name of the certificate authority, such as {@code "Let's Encrypt"}
     * @param type         the challenge type
     * @param status       the final status of the challenge, such as {@code "invalid"}
     * @param challengeUrl what the CA looked at ({@link #urlOf})
     * @param problemType  the ACME problem type, or {@code null}
     * @param detail       the CA's problem detail, or {@code null}
     * @since 0.2.0
     */
    public ChallengeFailedException(String caName, ChallengeType type, String status, URI challengeUrl, URI problemType,
                                    String detail) {
        super(message(caName, type, status, challengeUrl, detail), problemType, null, null);
        this.type = type;
        this.status = status;
        this.challengeUrl = challengeUrl;
        this.detail = detail;
    }

    /**
     * Says what the CA looks at to validate a name: for HTTP-01 the URL
     * {@code http://<name>/.well-known/acme-challenge/<token>}, for TLS-ALPN-01
     * {@code https://<name>:443/} (a handshake offering only {@code acme-tls/1}), for DNS-01 the TXT
     * record as a DNS URI, {@code dns:_acme-challenge.<name>?type=TXT}.
     *
     * @param type  the challenge type
     * @param name  the name being validated (an IPv6 address in canonical form is bracketed)
     * @param token the challenge's token
     * @return the URL
     * @since 0.2.0
     */
    public static URI urlOf(ChallengeType type, String name, String token) {
        String host = name.contains(":") ? "[" + name + "]" : name;
        return switch (type) {
            case HTTP_01 -> URI.create("http://" + host + "/.well-known/acme-challenge/" + token);
            case TLS_ALPN_01 -> URI.create("https://" + host + ":443/");
            case DNS_01 -> URI.create("dns:_acme-challenge." + (name.startsWith("*.") ? name.substring(2) : name)
                    + "?type=TXT");
        };
    }

    private static String message(String caName, ChallengeType type, String status, URI challengeUrl, String detail) {
        StringBuilder sb = new StringBuilder()
                .append("The ").append(caName).append(' ').append(label(type)).append(" challenge failed with status '")
                .append(status).append("'.")
                .append(type == ChallengeType.HTTP_01 ? " The CA requested " : " The CA looked at ").append(challengeUrl)
                .append(".");
        if (detail != null && !detail.isBlank()) {
            sb.append(" The CA said: ").append(detail.strip());
            if (!detail.strip().endsWith(".")) {
                sb.append('.');
            }
        }
        sb.append(switch (type) {
            case HTTP_01 -> " Check that this URL answers on plain HTTP from the internet (port 80 open in the firewall,"
                    + " no redirect to HTTPS, no HSTS on this path).";
            case TLS_ALPN_01 -> " Check that port 443 is open from the internet and that the HTTPS listener offers the"
                    + " ALPN protocol acme-tls/1 (TLS 1.3) with autocert4j's key manager.";
            case DNS_01 -> " Check that the DNS provider put the TXT record in the zone the name belongs to and that"
                    + " the zone's name servers answer it.";
        });
        return sb.toString();
    }

    private static String label(ChallengeType type) {
        return switch (type) {
            case HTTP_01 -> "HTTP";
            case TLS_ALPN_01 -> "TLS-ALPN";
            case DNS_01 -> "DNS";
        };
    }

    /**
     * @return the challenge type that failed
     * @since 0.2.0
     */
    public ChallengeType challengeType() {
        return type;
    }

    /** @return the final status of the challenge, such as {@code "invalid"} */
    public String status() {
        return status;
    }

    /** @return the URL the certificate authority requested, or for other types than HTTP-01 what it looked at ({@link #urlOf}) */
    public URI challengeUrl() {
        return challengeUrl;
    }

    /** @return the certificate authority's problem detail, if it gave one */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }
}
