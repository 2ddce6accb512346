-- autocert4j JDBC store, schema version 2 (PostgreSQL 12 or later).
-- JdbcCertificateStore creates these tables itself on first use; a DBA who prefers to create them
-- runs this file once, as the owner the application connects as, and lets the application in with
-- SELECT, INSERT, UPDATE, DELETE on the tables and USAGE on the sequence.
-- Every row carries a seal: an HMAC-SHA256 under a key derived from the StoreKey over the row's kind,
-- name, generation and every column that drives a decision. Rows without a valid seal are refused.
-- Columns marked "shown only" are written for people reading the table; the store never reads them
-- for a decision (names, serial number and validity are read from the sealed certificate itself).
-- Generations come from autocert4j_change_seq: they grow on every write, across deletions.
-- A database of schema version 1 is upgraded by the first node that opens it (upgrade-2.sql).

CREATE TABLE IF NOT EXISTS autocert4j_schema (
    version         integer NOT NULL,
    key_fingerprint text    NOT NULL  -- which StoreKey encrypted the private keys (not the key itself)
);

CREATE SEQUENCE IF NOT EXISTS autocert4j_change_seq;

CREATE TABLE IF NOT EXISTS autocert4j_accounts (
    ca_directory  text PRIMARY KEY,
    location      text,
    key_algorithm text   NOT NULL,
    public_key    bytea  NOT NULL,  -- X.509 SubjectPublicKeyInfo
    private_key   bytea  NOT NULL,  -- PKCS#8, sealed with AES-256-GCM
    saved_at      text   NOT NULL,
    generation    bigint NOT NULL DEFAULT 0,
    seal          bytea,             -- over ca_directory, generation, location, key_algorithm, both keys
                                     -- (and the two columns below where either is set)
    contacts      text,              -- the contact emails, comma-separated (since 0.2.0)
    accepted_terms_of_service text   -- the link of the Terms of Service the admin accepted (since 0.2.0)
);

CREATE TABLE IF NOT EXISTS autocert4j_certificates (
    domain           text PRIMARY KEY,
    names            text   NOT NULL,  -- shown only: comma-separated, the domain first
    serial_number    text   NOT NULL,  -- shown only
    issuer           text   NOT NULL,  -- shown only
    issued_at        text   NOT NULL,
    not_before       text   NOT NULL,  -- shown only
    not_after        text   NOT NULL,  -- shown only
    ca_directory     text,
    account_location text,
    chain_pem        text   NOT NULL,  -- the chain as the CA sent it, end-entity certificate first
    key_algorithm    text   NOT NULL,
    private_key      bytea  NOT NULL,  -- PKCS#8, sealed with AES-256-GCM
    change_seq       bigint NOT NULL,  -- the row's generation, from autocert4j_change_seq: the nodes' change feed
    saved_by         text   NOT NULL,  -- the node that saved it
    saved_at         text   NOT NULL,
    seal             bytea              -- over domain, change_seq, issued_at, ca_directory, account_location,
                                        -- chain_pem, key_algorithm, private_key
);
CREATE INDEX IF NOT EXISTS autocert4j_certificates_change_seq ON autocert4j_certificates (change_seq);

CREATE TABLE IF NOT EXISTS autocert4j_enrollments (
    name       text PRIMARY KEY,
    choices    text   NOT NULL,  -- the enrollment's choices as Java properties text (no secrets)
    saved_at   text   NOT NULL,
    generation bigint NOT NULL DEFAULT 0,
    seal       bytea              -- over name, generation, choices
);

CREATE TABLE IF NOT EXISTS autocert4j_leases (
    domain      text PRIMARY KEY,
    owner       text   NOT NULL,  -- the node renewing
    token       text   NOT NULL,  -- tells this lease from a later one of the same owner
    acquired_at bigint NOT NULL,  -- epoch milliseconds on the database's clock
    expires_at  bigint NOT NULL   -- epoch milliseconds on the database's clock; the holder extends it while it works
);

CREATE TABLE IF NOT EXISTS autocert4j_challenges (
    token             text PRIMARY KEY,
    domain            text,
    key_authorization text   NOT NULL,
    expires_at        bigint NOT NULL,  -- epoch milliseconds on the database's clock
    seal              bytea              -- over token, domain, key_authorization
);
