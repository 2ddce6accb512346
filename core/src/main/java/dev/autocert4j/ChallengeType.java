package dev.autocert4j;

import java.util.Locale;

/** How the certificate authority checks that the portal controls the names it asks a certificate for. */
public enum ChallengeType {
    /**
     * HTTP-01: the CA fetches {@code http://<name>/.well-known/acme-challenge/<token>} on port 80,
     * answered by a {@link ChallengeResponder} on the host's plain HTTP listener.
     */
    HTTP_01("http-01");

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
        throw new InvalidInputException("challenge", name, "is not a challenge type autocert4j offers (http-01)");
    }

    @Override
    public String toString() {
        return acmeName;
    }
}
