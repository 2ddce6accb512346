-- autocert4j JDBC store, schema version 2 for MariaDB 10.3 or later (tested on 10.11); the same
-- tables, columns and rules as schema-2.sql for PostgreSQL, which documents them.
-- JdbcCertificateStore creates these tables itself on first use; a DBA who prefers to create them
-- runs this file once in the application's database and grants the application SELECT, INSERT,
-- UPDATE, DELETE on the tables and SELECT, INSERT on the sequence.
-- Names are compared byte for byte (utf8mb4_nopad_bin), as in PostgreSQL: never 'A' = 'a' nor 'a ' = 'a'.
-- MariaDB commits each CREATE by itself: autocert4j_schema comes last, so that a node stopped
-- half-way leaves no schema table, and the next node makes the rest.

CREATE SEQUENCE IF NOT EXISTS autocert4j_change_seq;

CREATE TABLE IF NOT EXISTS autocert4j_accounts (
    ca_directory  VARCHAR(700) NOT NULL PRIMARY KEY,
    location      TEXT,
    key_algorithm TEXT     NOT NULL,
    public_key    LONGBLOB NOT NULL,  -- X.509 SubjectPublicKeyInfo
    private_key   LONGBLOB NOT NULL,  -- PKCS#8, sealed with AES-256-GCM
    saved_at      TEXT     NOT NULL,
    generation    BIGINT   NOT NULL DEFAULT 0,
    seal          LONGBLOB,            -- over ca_directory, generation, location, key_algorithm, both keys
                                       -- (and the two columns below where either is set)
    contacts      TEXT,                -- the contact emails, comma-separated (since 0.2.0)
    accepted_terms_of_service TEXT     -- the link of the Terms of Service the admin accepted (since 0.2.0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS autocert4j_certificates (
    domain           VARCHAR(255) NOT NULL PRIMARY KEY,
    names            MEDIUMTEXT NOT NULL,  -- shown only: comma-separated, the domain first
    serial_number    TEXT       NOT NULL,  -- shown only
    issuer           TEXT       NOT NULL,  -- shown only
    issued_at        TEXT       NOT NULL,
    not_before       TEXT       NOT NULL,  -- shown only
    not_after        TEXT       NOT NULL,  -- shown only
    ca_directory     TEXT,
    account_location TEXT,
    chain_pem        MEDIUMTEXT NOT NULL,  -- the chain as the CA sent it, end-entity certificate first
    key_algorithm    TEXT       NOT NULL,
    private_key      LONGBLOB   NOT NULL,  -- PKCS#8, sealed with AES-256-GCM
    change_seq       BIGINT     NOT NULL,  -- the row's generation, from autocert4j_change_seq: the nodes' change feed
    saved_by         TEXT       NOT NULL,  -- the node that saved it
    saved_at         TEXT       NOT NULL,
    seal             LONGBLOB               -- over domain, change_seq, issued_at, ca_directory, account_location,
                                            -- chain_pem, key_algorithm, private_key
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;
CREATE INDEX IF NOT EXISTS autocert4j_certificates_change_seq ON autocert4j_certificates (change_seq);

CREATE TABLE IF NOT EXISTS autocert4j_enrollments (
    name       VARCHAR(255) NOT NULL PRIMARY KEY,
    choices    MEDIUMTEXT NOT NULL,  -- the enrollment's choices as Java properties text (no secrets)
    saved_at   TEXT       NOT NULL,
    generation BIGINT     NOT NULL DEFAULT 0,
    seal       LONGBLOB               -- over name, generation, choices
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS autocert4j_leases (
    domain      VARCHAR(255) NOT NULL PRIMARY KEY,
    owner       TEXT   NOT NULL,  -- the node renewing
    token       TEXT   NOT NULL,  -- tells this lease from a later one of the same owner
    acquired_at BIGINT NOT NULL,  -- epoch milliseconds on the database's clock
    expires_at  BIGINT NOT NULL   -- epoch milliseconds on the database's clock; the holder extends it while it works
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS autocert4j_challenges (
    token             VARCHAR(255) NOT NULL PRIMARY KEY,
    domain            TEXT,
    key_authorization TEXT   NOT NULL,
    expires_at        BIGINT NOT NULL,  -- epoch milliseconds on the database's clock
    seal              LONGBLOB           -- over token, domain, key_authorization
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS autocert4j_schema (
    version         INTEGER NOT NULL,
    key_fingerprint TEXT    NOT NULL  -- which StoreKey encrypted the private keys (not the key itself)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin;
