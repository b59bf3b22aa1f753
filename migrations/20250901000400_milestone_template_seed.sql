-- Rendered by `healthschema render` from templates/health/20250901000400_milestone_template_seed.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- Milestone templates (SPEC §2.4): the catalogue from healthschema.toml
-- [[variables.milestone_templates]], the function that instantiates active templates as
-- milestones for every client lacking them, and one call that back-fills existing clients.
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

CREATE FUNCTION healthschema_private.instantiate_milestone_templates(p_template_key text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
    created uuid[];
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

    -- 1. One milestone per (client with an organization, active template) pair that is missing.
    WITH inserted AS (
        INSERT INTO public.success_milestones (
            client_id, organization_id, template_id, milestone_type, milestone_category,
            milestone_name, milestone_description, priority, is_critical_path,
            health_score_impact, engagement_score_impact, progress_score_impact,
            wedding_date, days_until_wedding, target_completion_date, prerequisite_milestone_ids,
            auto_generated)
        SELECT c.id, c.organization_id, t.id, t.milestone_type, t.milestone_category,
               t.milestone_name, t.milestone_description, t.priority, t.is_critical_path,
               t.health_score_impact, t.engagement_score_impact, t.progress_score_impact,
               c.wedding_date, c.wedding_date - (pg_catalog.now() AT TIME ZONE 'UTC')::date,
               CASE t.due_anchor
                   WHEN 'wedding_date' THEN
                       coalesce(c.wedding_date, (c.created_at AT TIME ZONE 'UTC')::date + 365)
                   ELSE (c.created_at AT TIME ZONE 'UTC')::date
               END + t.due_offset_days,
               '{}'::uuid[],
               true
          FROM public.clients AS c
         CROSS JOIN public.milestone_templates AS t
         WHERE c.organization_id IS NOT NULL
           AND t.is_active
           AND (p_template_key IS NULL OR t.template_key = p_template_key)
           AND NOT EXISTS (
               SELECT FROM public.success_milestones AS m
                WHERE m.client_id = c.id AND m.template_id = t.id)
         ORDER BY c.id, t.template_key
        ON CONFLICT DO NOTHING
        RETURNING id
    )
    SELECT coalesce(pg_catalog.array_agg(i.id), '{}'::uuid[]) INTO created FROM inserted AS i;

    -- 2. Prerequisites of the new milestones: that client's milestones of the templates named
    --    by prerequisite_keys (validated by the milestone trigger: same client, no cycle).
    UPDATE public.success_milestones AS m
       SET prerequisite_milestone_ids = ARRAY(
               SELECT pre.id
                 FROM public.success_milestones AS pre
                 JOIN public.milestone_templates AS pt ON pt.id = pre.template_id
                WHERE pre.client_id = m.client_id AND pt.template_key = ANY (t.prerequisite_keys)
                ORDER BY pt.template_key, pre.id)
      FROM public.milestone_templates AS t
     WHERE m.id = ANY (created)
       AND t.id = m.template_id
       AND pg_catalog.cardinality(t.prerequisite_keys) > 0;

    RETURN pg_catalog.cardinality(created);
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.instantiate_milestone_templates(text) FROM PUBLIC, anon, authenticated;
GRANT USAGE ON SCHEMA healthschema_private TO service_role;
GRANT EXECUTE ON FUNCTION healthschema_private.instantiate_milestone_templates(text) TO service_role;
COMMENT ON FUNCTION healthschema_private.instantiate_milestone_templates(text) IS
    'Creates, for every client with an organization, the milestones of active templates (or of one template_key) it lacks; returns how many. Idempotent: a (client, template) pair is never duplicated. target_completion_date = anchor + due_offset_days, anchor = client creation date (in time zone UTC) or wedding_date; a wedding-anchored template for a client without a wedding date uses creation date + 365 days. prerequisite_milestone_ids = that client''s milestones of the prerequisite_keys templates. auto_generated = true. SECURITY DEFINER: reads every client and writes milestones of every organization; executable by service_role and the owner only.';

-- Back-fill the clients that exist now.
SELECT healthschema_private.instantiate_milestone_templates();
