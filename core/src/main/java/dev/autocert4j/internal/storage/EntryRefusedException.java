package dev.autocert4j.internal.storage;

import dev.autocert4j.CertificateStoreException;

/**
 * An entry the storage returned that this node does not trust: it is not in the entry format (cut
 * short, damaged), its seal does not verify (edited, made without the store key, or copied from
 * another name or kind), it is older than a generation this node has seen (an old entry copied
 * back), or its certificate, key and name do not match. It is never used: the name is treated as
 * missing.
 */
public final class EntryRefusedException extends CertificateStoreException {

    private static final long serialVersionUID = 1L;

    EntryRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
