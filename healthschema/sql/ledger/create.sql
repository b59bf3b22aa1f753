-- The toolkit's bookkeeping schema: never `public` (Supabase exposes it over HTTP).
CREATE SCHEMA IF NOT EXISTS {schema};
REVOKE ALL ON SCHEMA {schema} FROM PUBLIC;
CREATE TABLE IF NOT EXISTS {schema}.ledger (
    migration_id      text PRIMARY KEY,
    migration_set     text NOT NULL,
    checksum          text NOT NULL CHECK (checksum ~ '^[0-9a-f]{{64}}$'),
    rollback_checksum text CHECK (rollback_checksum ~ '^[0-9a-f]{{64}}$'),
    applied_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    applied_by        text NOT NULL DEFAULT current_user,
    duration_ms       integer NOT NULL CHECK (duration_ms >= 0)
);
COMMENT ON TABLE {schema}.ledger IS
    'healthschema: sha256 of every applied migration file, written in the migration''s own transaction';
