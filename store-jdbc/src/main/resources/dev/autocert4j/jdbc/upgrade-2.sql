-- autocert4j JDBC store: upgrade from schema version 1 to 2, run by the first node of version 2 that
-- opens the database (in one transaction, under the schema lock); that node then seals every
-- existing row with its store key and records version 2. Nodes of version 1 refuse a database of
-- version 2: upgrade every node.

ALTER TABLE autocert4j_accounts ADD COLUMN IF NOT EXISTS generation bigint NOT NULL DEFAULT 0;
ALTER TABLE autocert4j_accounts ADD COLUMN IF NOT EXISTS seal bytea;
ALTER TABLE autocert4j_certificates ADD COLUMN IF NOT EXISTS seal bytea;
ALTER TABLE autocert4j_enrollments ADD COLUMN IF NOT EXISTS generation bigint NOT NULL DEFAULT 0;
ALTER TABLE autocert4j_enrollments ADD COLUMN IF NOT EXISTS seal bytea;
ALTER TABLE autocert4j_challenges ADD COLUMN IF NOT EXISTS seal bytea;
-- Added in 0.2.0 to databases of schema version 2 that lack them (nullable: older nodes keep working):
ALTER TABLE autocert4j_accounts ADD COLUMN IF NOT EXISTS contacts text;
ALTER TABLE autocert4j_accounts ADD COLUMN IF NOT EXISTS accepted_terms_of_service text;
