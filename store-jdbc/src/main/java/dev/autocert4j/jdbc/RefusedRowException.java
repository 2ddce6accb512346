package dev.autocert4j.jdbc;

import dev.autocert4j.CertificateStoreException;

/**
 * A row the database returned that this node does not trust: its seal does not verify (edited,
 * truncated, made without the store key, or copied from another name or kind), it is older than a
 * generation this node has seen (an old row copied back), or its certificate and key do not match.
 * The row is never used: the name is treated as missing.
 */
final class RefusedRowException extends CertificateStoreException {

    private static final long serialVersionUID = 1L;

    RefusedRowException(String message, Throwable cause) {
        super(message, cause);
    }
}
