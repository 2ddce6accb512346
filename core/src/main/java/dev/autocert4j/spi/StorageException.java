package dev.autocert4j.spi;

import dev.autocert4j.CertificateStoreException;

/**
 * A {@link Storage} could not be reached, read or changed (a full disk, a lost connection, a
 * permission). A missing key is never one. What was stored before is left as it was.
 *
 * @since 0.2.0
 */
public class StorageException extends CertificateStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what failed, naming the key or the place (never a value)
     * @param cause   the underlying failure, or {@code null}
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
