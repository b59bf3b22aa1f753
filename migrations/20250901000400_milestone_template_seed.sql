-- Rendered by `healthschema render` from templates/health/20250901000400_milestone_template_seed.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- backfill: healthschema_private.backfill_milestone_templates
-- Milestone templates (SPEC §2.4): the catalogue from healthschema.toml
-- [[variables.milestone_templates]], the function that instantiates active templates as
-- milestones for every client lacking them, and the batch function that back-fills the clients
-- that exist now. The `backfill:` header above makes the runner call it after the DDL transaction
-- commits, in short transactions of [runner] backfill_batch_size clients, each recorded in the
-- ledger (docs/deploying.md): the back-fill never holds the platform tables' locks.
-- Clients created later get their milestones from a scheduled call of the function (the
-- platform's clients table carries no trigger of ours); see docs/formulas.md.
INSERT INTO public.milestone_templates (
    template_key, milestone_name, milestone_description, milestone_type, milestone_category, priority,
    due_anchor, due_offset_days, prerequisite_keys, is_critical_path,
    health_score_impact, engagement_score_impact, progress_score_impact
) VALUES
    ('onboarding', 'Complete initial onboarding', 'Finish setting up basic wedding details and profile information',
     'onboarding_complete', 'onboarding', 'high',
     'client_created', 7, ARRAY[]::text[],
     true,
     15.0, 20.0, 25.0),
    ('first_form', 'Submit the first planning form', 'The couple fills in and submits their first questionnaire',
     'first_form', 'onboarding', 'high',
     'client_created', 14, ARRAY['onboarding']::text[],
     true,
     10.0, 15.0, 10.0),
    ('budget', 'Set the wedding budget', 'Agree the overall budget and its split across vendors',
     'budget_set', 'planning', 'medium',
     'client_created', 30, ARRAY['onboarding']::text[],
     false,
     5.0, 5.0, 10.0),
    ('vendor_booking', 'Book the core vendors', 'Venue, photographer, caterer and music booked and confirmed',
     'vendor_booking', 'vendor_management', 'high',
     'wedding_date', -180, ARRAY['first_form', 'budget']::text[],
     true,
     10.0, 5.0, 20.0),
    ('guest_list', 'Complete the guest list', 'Final guest list with contact details and RSVPs tracked',
     'guest_list_complete', 'guest_management', 'medium',
     'wedding_date', -90, ARRAY['first_form']::text[],
     true,
     5.0, 10.0, 15.0),
    ('timeline', 'Create the wedding-day timeline', 'Hour-by-hour plan for the day, shared with every booked vendor',
     'timeline_created', 'planning', 'medium',
     'wedding_date', -30, ARRAY['vendor_booking', 'guest_list']::text[],
     true,
     5.0, 5.0, 15.0),
    ('final_details', 'Confirm the final details', 'Final numbers, payments and day-of contacts confirmed with all vendors',
     'final_details', 'communication', 'critical',
     'wedding_date', -7, ARRAY['timeline']::text[],
     true,
     5.0, 5.0, 5.0);

-- Planned for each call's own range (plan_cache_mode): a batch's plan probes the unique
-- (template_id, client_id) index for its clients instead of a generic plan that scans every
-- milestone per batch (which made the back-fill quadratic).
CREATE FUNCTION healthschema_private.instantiate_milestone_templates_range(
    p_template_key text, p_after uuid, p_upto uuid)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
SET plan_cache_mode = force_custom_plan
-- hash joins for the new rows among themselves (a batch's milestones), whatever the caller set;
-- success_milestones itself is only probed by index (OFFSET 0 below)
SET enable_hashjoin = on
AS $fn$
DECLARE
    created integer;
BEGIN
    IF p_template_key IS NOT NULL AND NOT EXISTS (
        SELECT FROM public.milestone_templates AS t WHERE t.template_key = p_template_key
    ) THEN
        RAISE EXCEPTION 'instantiate_milestone_templates: there is no milestone template %', p_template_key
            USING ERRCODE = 'no_data_found', HINT = 'template_key must name a row of milestone_templates';
    END IF;
    -- One instantiation at a time: two concurrent calls cannot both create the same pair.
    PERFORM pg_catalog.pg_advisory_xact_lock(
        pg_catalog.hashtextextended('healthschema:instantiate_milestone_templates', 0));

    -- One INSERT: one milestone per (client with an organization, active template) pair that is
    -- missing, with its id chosen here so that the same statement can give it its prerequisites
    -- (that client's milestones of the templates named by prerequisite_keys: new ones of this
    -- statement or existing ones) and its dependents among the new rows. The statement trigger
    -- success_milestones_check_inserted validates all of it (same client, no cycle) once.
    WITH planned AS MATERIALIZED (
        SELECT pg_catalog.gen_random_uuid() AS id, c.id AS client_id, c.organization_id, t.id AS template_id,
               t.template_key, t.prerequisite_keys, t.milestone_type, t.milestone_category,
               t.milestone_name, t.milestone_description, t.priority, t.is_critical_path,
               t.health_score_impact, t.engagement_score_impact, t.progress_score_impact,
               c.wedding_date, c.wedding_date - (pg_catalog.now() AT TIME ZONE 'UTC')::date AS days_until_wedding,
               CASE t.due_anchor
                   WHEN 'wedding_date' THEN
                       coalesce(c.wedding_date, (c.created_at AT TIME ZONE 'UTC')::date + 365)
                   ELSE (c.created_at AT TIME ZONE 'UTC')::date
               END + t.due_offset_days AS target_completion_date
          FROM public.clients AS c
         CROSS JOIN public.milestone_templates AS t
         WHERE c.organization_id IS NOT NULL
           -- a plain range (NULL: unbounded), so that a batch reads only its clients by primary key
           AND c.id >= coalesce(p_after, '00000000-0000-0000-0000-000000000000'::uuid) AND c.id IS DISTINCT FROM p_after
           AND c.id <= coalesce(p_upto, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)
           AND t.is_active
           AND (p_template_key IS NULL OR t.template_key = p_template_key)
           AND NOT EXISTS (  -- OFFSET 0: probes of the unique (template_id, client_id) index, never a scan
               SELECT FROM public.success_milestones AS m
                WHERE m.client_id = c.id AND m.template_id = t.id OFFSET 0)
    ), links AS (
        -- (milestone, prerequisite): a new one of the same client, or an existing one
        SELECT d.id, pre.id AS prerequisite_id, pre.template_key, true AS is_new
          FROM planned AS d
          JOIN planned AS pre ON pre.client_id = d.client_id AND pre.template_key = ANY (d.prerequisite_keys)
        UNION ALL
        SELECT d.id, e.id, e.template_key, false
          FROM planned AS d
         CROSS JOIN LATERAL (  -- OFFSET 0: that client's milestones by index, never a scan
               SELECT e.id, et.template_key
                 FROM public.success_milestones AS e
                 JOIN public.milestone_templates AS et ON et.id = e.template_id
                WHERE e.client_id = d.client_id AND et.template_key = ANY (d.prerequisite_keys) OFFSET 0) AS e
         WHERE pg_catalog.cardinality(d.prerequisite_keys) > 0
    ), prerequisites AS (
        SELECT l.id, pg_catalog.array_agg(l.prerequisite_id ORDER BY l.template_key, l.prerequisite_id) AS ids
          FROM links AS l GROUP BY l.id
    ), dependents AS (
        SELECT l.prerequisite_id AS id, pg_catalog.array_agg(l.id ORDER BY l.id) AS ids
          FROM links AS l WHERE l.is_new GROUP BY l.prerequisite_id
    ), inserted AS (
        INSERT INTO public.success_milestones (
            id, client_id, organization_id, template_id, milestone_type, milestone_category,
            milestone_name, milestone_description, priority, is_critical_path,
            health_score_impact, engagement_score_impact, progress_score_impact,
            wedding_date, days_until_wedding, target_completion_date, prerequisite_milestone_ids,
            dependent_milestone_ids, auto_generated)
        SELECT n.id, n.client_id, n.organization_id, n.template_id, n.milestone_type, n.milestone_category,
               n.milestone_name, n.milestone_description, n.priority, n.is_critical_path,
               n.health_score_impact, n.engagement_score_impact, n.progress_score_impact,
               n.wedding_date, n.days_until_wedding, n.target_completion_date, coalesce(pr.ids, '{}'),
               coalesce(de.ids, '{}'), true
          FROM planned AS n
          LEFT JOIN prerequisites AS pr ON pr.id = n.id
          LEFT JOIN dependents AS de ON de.id = n.id
         ORDER BY n.client_id, n.template_key
        ON CONFLICT DO NOTHING
        RETURNING 1
    )
    SELECT pg_catalog.count(*)::integer INTO created FROM inserted;

    RETURN created;
END
$fn$;
CREATE FUNCTION healthschema_private.instantiate_milestone_templates(p_template_key text DEFAULT NULL)
RETURNS integer
LANGUAGE sql
SECURITY DEFINER
SET search_path = ''
AS $fn$
    SELECT healthschema_private.instantiate_milestone_templates_range(p_template_key, NULL, NULL);
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.instantiate_milestone_templates(text) FROM PUBLIC, anon, authenticated;
GRANT USAGE ON SCHEMA healthschema_private TO service_role;
GRANT EXECUTE ON FUNCTION healthschema_private.instantiate_milestone_templates(text) TO service_role;
COMMENT ON FUNCTION healthschema_private.instantiate_milestone_templates(text) IS
    'Creates, for every client with an organization, the milestones of active templates (or of one template_key) it lacks; returns how many. Idempotent: a (client, template) pair is never duplicated. target_completion_date = anchor + due_offset_days, anchor = client creation date (in time zone UTC) or wedding_date; a wedding-anchored template for a client without a wedding date uses creation date + 365 days. prerequisite_milestone_ids = that client''s milestones of the prerequisite_keys templates. auto_generated = true. SECURITY DEFINER: reads every client and writes milestones of every organization; executable by service_role and the owner only.';
REVOKE EXECUTE ON FUNCTION healthschema_private.instantiate_milestone_templates_range(text, uuid, uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION healthschema_private.instantiate_milestone_templates_range(text, uuid, uuid) TO service_role;
COMMENT ON FUNCTION healthschema_private.instantiate_milestone_templates_range(text, uuid, uuid) IS
    'instantiate_milestone_templates(p_template_key) restricted to the clients with p_after < id <= p_upto (NULL: unbounded); returns how many milestones it created.';

-- The back-fill, one batch per call (the runner's contract, docs/deploying.md): the next p_limit
-- clients with an organization after key p_after (NULL: from the first) get the milestones they
-- lack; returns the last client id covered (NULL when none is left) and how many clients were
-- covered. p_limit = 0 covers nothing and returns how many clients remain after p_after.
-- A batch is a bounded range of clients: point lookups (the milestones it already has, by the
-- unique (template_id, client_id) index) beat a scan of every milestone, which would make each
-- batch cost grow with the table and the whole back-fill quadratic. (jit off: with those scans
-- disabled the estimates are huge, and JIT would compile every statement.)
-- backfill_milestone_templates_for(key, ...) does the same for one template (p_template_key, NULL:
-- every active one): the back-fill of a template added by `healthschema milestone new`.
CREATE FUNCTION healthschema_private.backfill_milestone_templates_for(p_template_key text, p_after text, p_limit integer)
RETURNS TABLE (last_key text, keys integer, remaining bigint)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET jit = off
AS $fn$
DECLARE
    v_after uuid := p_after::uuid;
    v_upto uuid;
    v_keys integer;
BEGIN
    IF p_limit = 0 THEN
        RETURN QUERY SELECT NULL::text, 0, pg_catalog.count(*)
          FROM public.clients AS c
         WHERE c.organization_id IS NOT NULL
           AND c.id >= coalesce(v_after, '00000000-0000-0000-0000-000000000000'::uuid) AND c.id IS DISTINCT FROM v_after;
        RETURN;
    END IF;
    WITH batch AS (
        SELECT c.id FROM public.clients AS c
         WHERE c.organization_id IS NOT NULL
           AND c.id >= coalesce(v_after, '00000000-0000-0000-0000-000000000000'::uuid) AND c.id IS DISTINCT FROM v_after
         ORDER BY c.id LIMIT p_limit)
    SELECT (SELECT b.id FROM batch AS b ORDER BY b.id DESC LIMIT 1), (SELECT pg_catalog.count(*) FROM batch)::integer
      INTO v_upto, v_keys;
    IF v_upto IS NOT NULL THEN
        PERFORM healthschema_private.instantiate_milestone_templates_range(p_template_key, v_after, v_upto);
    END IF;
    RETURN QUERY SELECT v_upto::text, v_keys, NULL::bigint;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.backfill_milestone_templates_for(text, text, integer) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION healthschema_private.backfill_milestone_templates_for(text, text, integer) TO service_role;
COMMENT ON FUNCTION healthschema_private.backfill_milestone_templates_for(text, text, integer) IS
    'backfill_milestone_templates(p_after, p_limit) for the template p_template_key only (NULL: every active template).';
CREATE FUNCTION healthschema_private.backfill_milestone_templates(p_after text, p_limit integer)
RETURNS TABLE (last_key text, keys integer, remaining bigint)
LANGUAGE sql
SECURITY DEFINER
SET search_path = ''
AS $fn$
    SELECT * FROM healthschema_private.backfill_milestone_templates_for(NULL, p_after, p_limit);
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.backfill_milestone_templates(text, integer) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION healthschema_private.backfill_milestone_templates(text, integer) TO service_role;
COMMENT ON FUNCTION healthschema_private.backfill_milestone_templates(text, integer) IS
    'The back-fill batch the runner calls after the migration commits: the next p_limit clients (by id) after p_after get the milestones of active templates they lack; returns the last client id covered (NULL when done) and their number; p_limit = 0 returns how many clients remain.';
