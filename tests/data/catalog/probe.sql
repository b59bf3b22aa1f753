-- Objects of every kind the catalog describes, for the cross-version test (tests/test_catalog.py).
CREATE SCHEMA probe;
COMMENT ON SCHEMA probe IS 'catalog probe';
CREATE TYPE probe.mood AS ENUM ('happy', 'sad');
CREATE DOMAIN probe.percent AS numeric(5, 2) NOT NULL DEFAULT 0 CHECK (VALUE BETWEEN 0 AND 100);
CREATE TABLE probe.parent (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code     varchar(20) NOT NULL UNIQUE CHECK (code IN ('a', 'b', 'c')),
    owner_id uuid,
    serial_n serial,
    mood     probe.mood DEFAULT 'happy',
    score    probe.percent,
    doubled  numeric GENERATED ALWAYS AS (score * 2) STORED,
    tags     text[] NOT NULL DEFAULT '{}',
    data     jsonb NOT NULL DEFAULT '{}'::jsonb,
    name     text COLLATE "C",
    created  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN probe.parent.code IS 'a code';
CREATE TABLE probe.child (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    parent_id bigint NOT NULL REFERENCES probe.parent (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    note      text,
    CONSTRAINT child_note_len CHECK (char_length(note) < 100) NOT VALID
);
CREATE UNLOGGED TABLE probe.scratch (id int);
CREATE INDEX child_parent_idx ON probe.child (parent_id) WHERE note IS NOT NULL;
COMMENT ON INDEX probe.child_parent_idx IS 'dashboard: children with a note';
CREATE INDEX parent_lower_idx ON probe.parent (lower(name) DESC NULLS LAST);
CREATE INDEX parent_data_idx ON probe.parent USING gin (data jsonb_path_ops);
CREATE INDEX parent_tags_idx ON probe.parent USING gin (tags);
CREATE VIEW probe.parent_view WITH (security_invoker = true) AS
    SELECT p.id, p.code, count(c.id) AS children
    FROM probe.parent AS p LEFT JOIN probe.child AS c ON c.parent_id = p.id
    WHERE p.mood = 'happy' GROUP BY p.id, p.code;
CREATE MATERIALIZED VIEW probe.parent_counts AS SELECT code, count(*) AS n FROM probe.parent GROUP BY code;
CREATE FUNCTION probe.add(a integer, b integer DEFAULT 1) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE RETURN a + b;
CREATE FUNCTION probe.atomic(x integer) RETURNS integer LANGUAGE sql
    BEGIN ATOMIC SELECT x * 2; END;
CREATE FUNCTION probe.touch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
    AS $$ BEGIN NEW.note := coalesce(NEW.note, 'x'); RETURN NEW; END $$;
CREATE PROCEDURE probe.noop() LANGUAGE sql AS 'SELECT 1';
CREATE TRIGGER child_touch BEFORE INSERT OR UPDATE OF note ON probe.child
    FOR EACH ROW WHEN (NEW.note IS DISTINCT FROM 'skip') EXECUTE FUNCTION probe.touch();
ALTER TABLE probe.child ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
DO $$ BEGIN CREATE ROLE probe_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE POLICY child_read ON probe.child AS RESTRICTIVE FOR SELECT TO probe_reader, public
    USING (parent_id IN (SELECT p.id FROM probe.parent AS p WHERE p.owner_id = (SELECT gen_random_uuid())));
CREATE POLICY child_write ON probe.child FOR UPDATE TO probe_reader USING (note IS NULL) WITH CHECK (note <> '');
GRANT USAGE ON SCHEMA probe TO probe_reader;
GRANT ALL ON probe.parent TO probe_reader;
GRANT SELECT, INSERT ON probe.child TO probe_reader WITH GRANT OPTION;
GRANT UPDATE (note) ON probe.child TO probe_reader;
GRANT USAGE ON SEQUENCE probe.parent_serial_n_seq TO probe_reader;
REVOKE EXECUTE ON FUNCTION probe.touch() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION probe.touch() TO probe_reader;
