"""The typed schema model: definition parsers (no database), the model of the committed snapshot,
and the model of a live deployed database (equal to the snapshot's)."""

from __future__ import annotations

import psycopg
import pytest

from healthschema.errors import ConfigError
from healthschema.files.project import Project
from healthschema.schema import definitions as defs
from healthschema.schema import describe as catalog
from healthschema.schema import model, snapshot
from healthschema.schema.views import view_column_sources

# --- parsers (pure) -------------------------------------------------------------------------


@pytest.mark.parametrize(("definition", "expected"), [
    ("CHECK (status::text = ANY (ARRAY['open'::character varying, 'closed'::character varying]::text[]))",
     ("status", ("open", "closed"))),
    ("CHECK (((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))",
     ("status", ("a", "b"))),
    ("CHECK (kind = ANY (ARRAY['x'::text, 'y z'::text]))", ("kind", ("x", "y z"))),
    ("CHECK (status IN ('pending', 'it''s', 'a,b'))", ("status", ("pending", "it's", "a,b"))),
    ("CHECK (\"Odd Name\" IN ('p'))", ("Odd Name", ("p",))),
    ("CHECK (mode = 'only'::text)", ("mode", ("only",))),
    ("CHECK (status IN ('a', 'b')) NOT VALID", ("status", ("a", "b"))),
])
def test_value_set_parses_in_and_any_array(definition: str, expected: tuple[str, tuple[str, ...]]) -> None:
    assert defs.value_set(definition) == expected


@pytest.mark.parametrize("definition", [
    "CHECK (score >= 0::numeric AND score <= 100::numeric)",
    "CHECK (status::text <> 'completed'::text OR progress = 100::numeric)",
    "CHECK (a = ANY (ARRAY['x'::text]) OR b IS NULL)",
    "CHECK (lower(status) = ANY (ARRAY['x'::text]))",
    "CHECK (status = ANY (allowed_statuses()))",
    "CHECK (jsonb_typeof(features_used) = 'object'::text)",
    "FOREIGN KEY (a) REFERENCES t(id)",
])
def test_value_set_ignores_other_checks(definition: str) -> None:
    assert defs.value_set(definition) is None


def test_foreign_key_index_trigger_and_arguments_parse() -> None:
    fk = defs.foreign_key(
        "FOREIGN KEY (client_id, org) REFERENCES public.clients(id, organization_id) ON DELETE CASCADE")
    assert fk is not None
    assert (fk.columns, fk.referenced_schema, fk.referenced_table, fk.referenced_columns, fk.on_delete, fk.on_update) \
        == (("client_id", "org"), "public", "clients", ("id", "organization_id"), "CASCADE", "NO ACTION")
    idx = defs.index("CREATE UNIQUE INDEX x ON public.t USING btree (client_id, lower(name), created_at DESC) "
                     "INCLUDE (a) WHERE (status)::text = ANY ((ARRAY['open'::character varying])::text[])")
    assert idx is not None
    assert idx.unique and idx.method == "btree" and idx.include == ("a",)
    assert idx.columns == ("client_id", None, "created_at")
    assert idx.predicate == "(status)::text = ANY ((ARRAY['open'::character varying])::text[])"
    gin = defs.index("CREATE INDEX g ON public.t USING gin (tags jsonb_path_ops)")
    assert gin is not None and gin.columns == ("tags",) and gin.predicate is None and not gin.unique
    trg = defs.trigger("CREATE TRIGGER t BEFORE INSERT OR UPDATE OF client_id ON public.x FOR EACH ROW "
                       "EXECUTE FUNCTION s.f()")
    assert trg == defs.TriggerDef("BEFORE", ("INSERT", "UPDATE"), "ROW", "s.f")
    args = defs.arguments("p_a integer, OUT p_b text, p_c timestamp with time zone DEFAULT now(), double precision")
    assert [(a.name, a.type, a.mode, a.has_default) for a in args] == [
        ("p_a", "integer", "IN", False), ("p_b", "text", "OUT", False),
        ("p_c", "timestamp with time zone", "IN", True), (None, "double precision", "IN", False)]


def test_view_column_sources_only_for_plain_copies() -> None:
    simple = (" SELECT ch.id, ch.client_id AS client, ch.overall_health_score * 2 AS doubled, c.first_name\n"
              "   FROM public.customer_health ch\n     JOIN public.clients c ON c.id = ch.client_id\n"
              "  WHERE ch.is_current;")
    assert view_column_sources(simple) == {
        "id": (("public", "customer_health"), "id"),
        "client": (("public", "customer_health"), "client_id"),
        "first_name": (("public", "clients"), "first_name"),
    }
    assert view_column_sources(" SELECT id FROM public.t;") == {"id": (("public", "t"), "id")}
    assert view_column_sources(" SELECT t.id FROM public.t LEFT JOIN public.u ON u.id = t.id;") == {}
    assert view_column_sources(" SELECT id FROM public.t UNION SELECT id FROM public.u;") == {}
    assert view_column_sources(" SELECT x.id FROM (SELECT id FROM public.t) x;") == {}


# --- the model of the committed snapshot ---------------------------------------------------------


def _snapshot_model(project: Project) -> model.SchemaModel:
    return model.build(model.cumulative(snapshot.load(project)))


def test_snapshot_model_tables_columns_indexes(project: Project) -> None:
    m = _snapshot_model(project)
    assert {t.name for t in m.tables if not t.is_view} == {
        "customer_health", "success_milestones", "support_interactions",
        "milestone_templates", "sla_targets", "health_score_config"}
    assert {t.name for t in m.tables if t.is_view} == {"customer_health_current", "organization_health_summary"}
    counts = m.index_counts()
    # SPEC §2.3: 8 / 11 / 9 explicit indexes, plus each primary key.
    assert [counts[f"public.{t}"] for t in ("customer_health", "success_milestones", "support_interactions")] == [
        {"indexes": 8, "primary_key": 1}, {"indexes": 11, "primary_key": 1}, {"indexes": 9, "primary_key": 1}]
    milestones = m.table("public", "success_milestones")
    status = milestones.column("status")
    assert status.allowed_values == tuple(project.variables["value_sets"]["milestone_status"])
    assert status.not_null and status.default == "'pending'::character varying"
    assert milestones.column("milestone_description").allowed_values is None
    assert not milestones.column("milestone_description").not_null
    assert milestones.column("prerequisite_milestone_ids").is_array
    assert milestones.column("progress_percentage").base_type == "numeric"
    fks = {fk.name: fk for fk in milestones.foreign_keys}
    assert fks["success_milestones_template_id_fkey"].referenced_table == "milestone_templates"
    assert fks["success_milestones_assigned_user_id_fkey"].on_delete == "SET NULL"
    partial = [i for i in m.table("public", "customer_health").indexes if i.predicate == "is_current"]
    assert partial and all(i.comment for i in partial)  # the dashboard question is the comment
    assert {p.command for p in milestones.policies} == {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert all(t.rls_enabled and t.rls_forced for t in m.tables if not t.is_view)  # views: security_invoker


def test_snapshot_model_functions_and_executors(project: Project) -> None:
    m = _snapshot_model(project)
    functions = {f.name: f for f in m.functions}
    refresh = functions["refresh_customer_health"]
    assert refresh.arguments == (model.Argument("p_organization_id", "uuid", "IN", True),)
    assert m.executors(refresh) == ("service_role",)
    assert functions["set_updated_at"].is_trigger
    assert m.executors(functions["set_updated_at"]) == ()


def test_executors_need_execute_and_schema_usage() -> None:
    def grant(obj: str, role: str, privilege: str) -> tuple[str, catalog.Entry]:
        return f"grant {obj} to {role}", catalog.Entry("grant", "s", obj, {"privileges": [privilege], "grantable": []})

    entries = dict([
        ("schema s", catalog.Entry("schema", "s", None, {})),
        ("function s.f()", catalog.Entry("function", "s", None, {"result": "integer", "arguments": ""})),
        ("function public.g()", catalog.Entry("function", "public", None, {"result": "integer", "arguments": ""})),
        grant("function s.f()", "authenticated", "EXECUTE"), grant("function s.f()", "service_role", "EXECUTE"),
        grant("schema s", "service_role", "USAGE"), grant("function public.g()", "PUBLIC", "EXECUTE"),
    ])
    m = model.build(entries)
    f, g = sorted(m.functions, key=lambda fn: fn.schema)[::-1]
    assert m.executors(f) == ("service_role",)  # authenticated lacks USAGE on schema s
    assert m.executors(g) == model.API_ROLES  # PUBLIC, in a schema these entries do not create


def test_cumulative_up_to_a_version(project: Project) -> None:
    snap = snapshot.load(project)
    first = snap.migrations[0].id
    early = model.build(model.cumulative(snap, first.split("_", 1)[0]))
    assert {t.name for t in early.tables} < {t.name for t in _snapshot_model(project).tables}
    assert model.cumulative(snap, first) == model.cumulative(snap, first.split("_", 1)[0])
    with pytest.raises(ConfigError, match="no migration"):
        model.cumulative(snap, "19990101000000")


def test_value_sets_of_several_checks_intersect() -> None:
    entries = {
        "relation s.t": catalog.Entry("relation", "s", None, {"relkind": "table"}),
        "column s.t.c": catalog.Entry("column", "s", "relation s.t", {"type": "text", "not_null": False}),
        "constraint s.t.a": catalog.Entry("constraint", "s", "relation s.t",
                                          {"type": "check", "definition": "CHECK (c IN ('x', 'y', 'z'))"}),
        "constraint s.t.b": catalog.Entry("constraint", "s", "relation s.t",
                                          {"type": "check", "definition": "CHECK (c = ANY (ARRAY['z'::text, 'x']))"}),
    }
    assert model.build(entries).table("s", "t").column("c").allowed_values == ("x", "z")


# --- the model of a live database -----------------------------------------------------------------


def _live_model(project: Project, url: str) -> model.SchemaModel:
    live = catalog.describe_url(url, (project.meta_schema,))
    snap = snapshot.load(project)
    return model.build(model.ours(live, snap, [m.id for m in snap.migrations]))


def test_live_model_equals_snapshot_model(project: Project, applied_db: str) -> None:
    assert _live_model(project, applied_db) == _snapshot_model(project)


def test_live_model_sees_drift_and_view_nullability(project: Project, applied_db: str) -> None:
    with psycopg.connect(applied_db, autocommit=True) as conn:
        conn.execute("ALTER TABLE public.success_milestones ALTER COLUMN notes SET NOT NULL")
        conn.execute("CREATE VIEW public.current_health AS SELECT h.id, h.health_status, h.satisfaction_score,"
                     " h.overall_health_score + 1 AS bumped, c.wedding_date"
                     " FROM public.customer_health h JOIN public.clients c ON c.id = h.client_id WHERE h.is_current")
    drifted = _live_model(project, applied_db)
    assert drifted != _snapshot_model(project)
    assert drifted.table("public", "success_milestones").column("notes").not_null
    whole = model.build(catalog.describe_url(applied_db, (project.meta_schema,)))
    view = whole.table("public", "current_health")
    assert view.is_view
    assert [(c.name, c.not_null, c.never_null) for c in view.columns] == [
        ("bumped", False, False), ("health_status", False, True), ("id", False, True),
        ("satisfaction_score", False, False), ("wedding_date", False, False)]
    assert view.column("health_status").allowed_values == ("excellent", "good", "at_risk", "critical")
