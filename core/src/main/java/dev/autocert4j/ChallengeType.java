package dev.autocert4j;

import java.util.Locale;

/** How the certificate authority checks that the portal controls the names it asks a certificate for. */
public enum ChallengeType {
    /**
     * HTTP-01: the CA fetches {@code http://<name>/.well-known/acme-challenge/<token>} on port 80,
     * answered by a {@link dev.autocert4j.spi.ChallengeSolver} on the host's plain HTTP listener.
     */
    HTTP_01("http-01"),

    /**
     * TLS-ALPN-01 (RFC 8737): the CA opens a TLS connection to port 443 offering only the ALPN
     * protocol {@code acme-tls/1}, and the host's HTTPS listener answers with a validation
     * certificate ({@link dev.autocert4j.tls.SniKeyManager#tlsAlpn01Responder()}). For hosts whose
     * port 80 is closed. Not for wildcards.
     *
     * @since 0.2.0
     */
    TLS_ALPN_01("tls-alpn-01"),

    /**
     * DNS-01: the CA looks up the TXT record {@code _acme-challenge.<name>}, which a DNS provider
     * puts there. The only one for wildcard names, and for hosts the CA cannot reach at all. Not for
     * IP addresses.
     *
     * @since 0.2.0
     */
    DNS_01("dns-01");

    private final String acmeName;

    ChallengeType(String acmeName) {
        this.acmeName = acmeName;
    }

    /** @return the challenge's name in ACME, such as {@code http-01} */
    public String acmeName() {
        return acmeName;
    }

    /**
     * Finds a challenge type by its ACME name, such as {@code http-01}.
     *
     * @param name the ACME name, in any case
     * @return the challenge type
     * @throws InvalidInputException if no challenge type has that name
     */
    public static ChallengeType fromAcmeName(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (ChallengeType type : values()) {
            if (type.acmeName.equals(wanted)) {
                return type;
            }
        }
        throw new InvalidInputException("challenge", name, "is not a challenge type autocert4j offers (http-01, tls-alpn-01, dns-01)");
    }

    @Override
    public String toString() {
        return acmeName;
    }
}
