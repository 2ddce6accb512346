package dev.autocert4j;

/**
 * Answers the certificate authority's HTTP-01 challenges: while a token is published, a request
 * for {@code http://<domain>/.well-known/acme-challenge/<token>} must get the key authorization.
 *
 * <p>Implementations must be thread-safe. The {@code autocert4j-challenge-http} module provides
 * one for the JDK HTTP server and for a standalone listener.
 *
 * @deprecated since 0.2.0: implement {@link dev.autocert4j.spi.ChallengeSolver}, one interface for
 *             every challenge type, with a clean-up call and a wait until ready, and give it to
 *             {@link AutoCert.Builder#challengeSolver}. A responder given to the builder keeps
 *             working: presenting a challenge publishes its token, cleaning up withdraws it.
 */
@Deprecated(since = "0.2.0")
public interface ChallengeResponder {

    /**
     * Starts answering a token.
     *
     * @param token            the challenge token (base64url characters)
     * @param keyAuthorization the exact body to answer with
     */
    void publish(String token, String keyAuthorization);

    /**
     * Starts answering a token for one domain. autocert4j calls this one; the default forgets the
     * domain and calls {@link #publish(String, String)}. Responders that check the request's
     * {@code Host} header (against DNS rebinding) override it.
     *
     * @param domain           the DNS name being validated
     * @param token            the challenge token (base64url characters)
     * @param keyAuthorization the exact body to answer with
     */
    default void publish(String domain, String token, String keyAuthorization) {
        publish(token, keyAuthorization);
    }

    /**
     * Stops answering a token. Withdrawing an unknown token does nothing.
     *
     * @param token the challenge token
     */
    void withdraw(String token);
}
