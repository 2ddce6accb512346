package dev.autocert4j;

/**
 * Answers the certificate authority's HTTP-01 challenges: while a token is published, a request
 * for {@code http://<domain>/.well-known/acme-challenge/<token>} must get the key authorization.
 *
 * <p>Implementations must be thread-safe. The {@code autocert4j-challenge-http} module provides
 * one for the JDK HTTP server and for a standalone listener.
 */
public interface ChallengeResponder {

    /**
     * Starts answering a token.
     *
     * @param token            the challenge token (base64url characters)
     * @param keyAuthorization the exact body to answer with
     */
    void publish(String token, String keyAuthorization);

    /**
     * Stops answering a token. Withdrawing an unknown token does nothing.
     *
     * @param token the challenge token
     */
    void withdraw(String token);
}
