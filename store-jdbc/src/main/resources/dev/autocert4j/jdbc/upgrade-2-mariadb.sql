-- autocert4j JDBC store on MariaDB: the columns of schema version 2, added to tables a DBA made
-- without them. (No release of autocert4j wrote schema version 1 on MariaDB.)

ALTER TABLE autocert4j_accounts ADD COLUMN IF NOT EXISTS generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE autocert4j_accounts ADD COLUMN IF NOT EXISTS seal LONGBLOB;
ALTER TABLE autocert4j_certificates ADD COLUMN IF NOT EXISTS seal LONGBLOB;
ALTER TABLE autocert4j_enrollments ADD COLUMN IF NOT EXISTS generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE autocert4j_enrollments ADD COLUMN IF NOT EXISTS seal LONGBLOB;
ALTER TABLE autocert4j_challenges ADD COLUMN IF NOT EXISTS seal LONGBLOB;
-- Added in 0.2.0 to databases of schema version 2 that lack them (nullable: older nodes keep working):
ALTER TABLE autocert4j_accounts ADD COLUMN IF NOT EXISTS contacts TEXT;
ALTER TABLE autocert4j_accounts ADD COLUMN IF NOT EXISTS accepted_terms_of_service TEXT;
