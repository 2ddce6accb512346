package dev.autocert4j;

import java.net.URI;
import java.util.Optional;

/**
 * The certificate authority could not validate the domain. The message reads like
 * {@code The Let's Encrypt HTTP challenge failed with status 'invalid'}, followed by the URL the CA
 * requested and the CA's own problem detail.
 */
public class ChallengeFailedException extends CertificateAuthorityException {

    /** The challenge's final status. */
    private final String status;
    /** The URL the CA requested. */
    private final URI challengeUrl;
    /** The CA's problem detail, or null. */
    private final String detail;

    /**
     * Creates an exception.
     *
     * @param caName       the name of the certificate authority, such as {@code "Let's Encrypt"}
     * @param status       the final status of the challenge, such as {@code "invalid"}
     * @param challengeUrl the URL the CA requested
     * @param problemType  the ACME problem type, or {@code null}
     * @param detail       the CA's problem detail, or {@code null}
     */
    public ChallengeFailedException(String caName, String status, URI challengeUrl, URI problemType, String detail) {
        super(message(caName, status, challengeUrl, detail), problemType, null, null);
        this.status = status;
        this.challengeUrl = challengeUrl;
        this.detail = detail;
    }

    private static String message(String caName, String status, URI challengeUrl, String detail) {
        StringBuilder sb = new StringBuilder()
                .append("The ").append(caName).append(" HTTP challenge failed with status '").append(status).append("'.")
                .append(" The CA requested ").append(challengeUrl).append(".");
        if (detail != null && !detail.isBlank()) {
            sb.append(" The CA said: ").append(detail.strip());
            if (!detail.strip().endsWith(".")) {
                sb.append('.');
            }
        }
        sb.append(" Check that this URL answers on plain HTTP from the internet (port 80 open in the firewall,"
                + " no redirect to HTTPS, no HSTS on this path).");
        return sb.toString();
    }

    /** @return the final status of the challenge, such as {@code "invalid"} */
    public String status() {
        return status;
    }

    /** @return the URL the certificate authority requested */
    public URI challengeUrl() {
        return challengeUrl;
    }

    /** @return the certificate authority's problem detail, if it gave one */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }
}
