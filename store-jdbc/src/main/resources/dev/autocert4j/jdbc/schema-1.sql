-- autocert4j JDBC store, schema version 1 (PostgreSQL 12 or later): kept to document what
-- upgrade-2.sql starts from; new databases get schema-2.sql.
-- JdbcCertificateStore creates these tables itself on first use; a DBA who prefers to create them
-- runs this file once, as the owner the application connects as, and lets the application in with
-- SELECT, INSERT, UPDATE, DELETE on the tables and USAGE on the sequence.
-- Instants are ISO-8601 text (exactly what was saved) or epoch milliseconds where they are compared.

CREATE TABLE IF NOT EXISTS autocert4j_schema (
    version         integer NOT NULL,
    key_fingerprint text    NOT NULL  -- which StoreKey encrypted the private keys (not the key itself)
);

CREATE TABLE IF NOT EXISTS autocert4j_accounts (
    ca_directory  text PRIMARY KEY,
    location      text,
    key_algorithm text  NOT NULL,
    public_key    bytea NOT NULL,   -- X.509 SubjectPublicKeyInfo
    private_key   bytea NOT NULL,   -- PKCS#8, sealed with AES-256-GCM
    saved_at      text  NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS autocert4j_change_seq;

CREATE TABLE IF NOT EXISTS autocert4j_certificates (
    domain           text PRIMARY KEY,
    names            text   NOT NULL,  -- comma-separated, the domain first
    serial_number    text   NOT NULL,
    issuer           text   NOT NULL,
    issued_at        text   NOT NULL,
    not_before       text   NOT NULL,
    not_after        text   NOT NULL,
    ca_directory     text,
    account_location text,
    chain_pem        text   NOT NULL,  -- the chain as the CA sent it, end-entity certificate first
    key_algorithm    text   NOT NULL,
    private_key      bytea  NOT NULL,  -- PKCS#8, sealed with AES-256-GCM
    change_seq       bigint NOT NULL,  -- from autocert4j_change_seq at each save: the nodes' change feed
    saved_by         text   NOT NULL,  -- the node that saved it
    saved_at         text   NOT NULL
);
CREATE INDEX IF NOT EXISTS autocert4j_certificates_change_seq ON autocert4j_certificates (change_seq);

CREATE TABLE IF NOT EXISTS autocert4j_enrollments (
    name     text PRIMARY KEY,
    choices  text NOT NULL,   -- the enrollment's choices as Java properties text (no secrets)
    saved_at text NOT NULL
);

CREATE TABLE IF NOT EXISTS autocert4j_leases (
    domain      text PRIMARY KEY,
    owner       text   NOT NULL,  -- the node renewing
    token       text   NOT NULL,  -- tells this lease from a later one of the same owner
    acquired_at bigint NOT NULL,  -- epoch milliseconds
    expires_at  bigint NOT NULL   -- epoch milliseconds; the holder extends it while it works
);

CREATE TABLE IF NOT EXISTS autocert4j_challenges (
    token             text PRIMARY KEY,
    domain            text,
    key_authorization text   NOT NULL,
    expires_at        bigint NOT NULL  -- epoch milliseconds
);
