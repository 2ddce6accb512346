package dev.autocert4j;

import java.net.URI;
import java.util.Optional;

/**
 * The certificate authority requires the admin to act, usually to accept new Terms of Service.
 * Nothing is renewed until they do.
 */
public class TermsOfServiceChangedException extends CertificateAuthorityException {

    /** The new Terms of Service, or null. */
    private final URI termsOfService;
    /** The page the CA asks the admin to visit, or null. */
    private final URI instance;

    /**
     * Creates an exception.
     *
     * @param message        what happened and what to do
     * @param problemType    the ACME problem type
     * @param termsOfService the new Terms of Service, or {@code null} if the CA did not link them
     * @param instance       a page the admin should visit, or {@code null}
     * @param cause          the underlying failure
     */
    public TermsOfServiceChangedException(String message, URI problemType, URI termsOfService, URI instance,
                                          Throwable cause) {
        super(message, problemType, null, cause);
        this.termsOfService = termsOfService;
        this.instance = instance;
    }

    /** @return the new Terms of Service to show to the admin, if the CA linked them */
    public Optional<URI> termsOfService() {
        return Optional.ofNullable(termsOfService);
    }

    /** @return the page the CA asks the admin to visit, if any */
    public Optional<URI> instance() {
        return Optional.ofNullable(instance);
    }
}
