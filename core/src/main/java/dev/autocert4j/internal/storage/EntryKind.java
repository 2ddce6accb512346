package dev.autocert4j.internal.storage;

/** What a stored entry is; part of its seal, so an entry of one kind never passes for another. */
enum EntryKind {
    CERTIFICATE, ENROLLMENT, ACCOUNT, CHALLENGE_TOKEN, PENDING_ORDER
}
