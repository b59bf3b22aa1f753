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
-- The post-commit data steps (`-- backfill:` migrations): where each one stands, updated in the
-- transaction of every batch, so an interrupted back-fill resumes after its last committed batch.
-- Its row goes with the migration's ledger row (a rollback deletes both).
CREATE TABLE IF NOT EXISTS {schema}.backfill (
    migration_id    text PRIMARY KEY REFERENCES {schema}.ledger (migration_id) ON DELETE CASCADE,
    function_schema text NOT NULL,
    function_name   text NOT NULL,
    last_key        text,
    batches_done    integer NOT NULL DEFAULT 0 CHECK (batches_done >= 0),
    keys_done       bigint NOT NULL DEFAULT 0 CHECK (keys_done >= 0),
    started_at      timestamptz,
    finished_at     timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE {schema}.backfill IS
    'healthschema: progress of each migration''s post-commit back-fill (last key done, batches); finished_at NULL = pending or partial';
