package dev.autocert4j;

import java.util.Objects;
import java.util.Optional;

/**
 * Where published HTTP-01 challenge tokens are kept so that every server of a cluster answers
 * them, whichever one the CA's request reaches. A shared certificate store offers one (the JDBC
 * store does); {@code Http01Responder.sharedThrough(tokens)} publishes into it and answers from it.
 *
 * @since 0.2.0
 */
public interface ChallengeTokenStore {

    /**
     * Keeps a token until it is removed.
     *
     * @param domain           the name being validated, or {@code null} if unknown
     * @param token            the token (base64url)
     * @param keyAuthorization what the token's URL must answer
     * @throws AutoCertException if it cannot be kept
     */
    void put(String domain, String token, String keyAuthorization);

    /**
     * Removes a token. Never throws: a token that stays behind expires.
     *
     * @param token the token
     */
    void remove(String token);

    /**
     * @param token a token from a request
     * @return its answer, if it is kept
     * @throws AutoCertException if the store cannot be asked
     */
    Optional<Answer> find(String token);

    /** A kept token's answer and the name it was published for. Immutable. */
    final class Answer {
        private final String domain;
        private final String keyAuthorization;

        /**
         * @param domain           the name, or {@code null} if unknown
         * @param keyAuthorization what the token's URL answers
         */
        public Answer(String domain, String keyAuthorization) {
            this.domain = domain;
            this.keyAuthorization = Objects.requireNonNull(keyAuthorization, "keyAuthorization");
        }

        /** @return the name the token was published for, or {@code null} if unknown */
        public String domain() {
            return domain;
        }

        /** @return what the token's URL answers */
        public String keyAuthorization() {
            return keyAuthorization;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Answer that && Objects.equals(domain, that.domain)
                    && keyAuthorization.equals(that.keyAuthorization);
        }

        @Override
        public int hashCode() {
            return Objects.hash(domain, keyAuthorization);
        }

        /** Names the domain only: the key authorization is not for logs. */
        @Override
        public String toString() {
            return "Answer[domain=" + domain + "]";
        }
    }
}
