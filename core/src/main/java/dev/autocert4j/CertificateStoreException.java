package dev.autocert4j;

/**
 * A {@link CertificateStore} could not load or save: a damaged file, a wrong password, a full or
 * read-only disk. What was stored before is left as it was.
 */
public class CertificateStoreException extends AutoCertException {

    /**
     * Creates an exception.
     *
     * @param message what happened, naming the file
     * @param cause   the underlying failure, or {@code null}
     */
    public CertificateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
