-- Rendered by `healthschema render` from templates/health/20250901000600_health_refresh.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- The health refresh job (SPEC §2.4): one set-based INSERT ... SELECT that computes a new
-- customer_health snapshot for every client with an organization (or for one organization)
-- from activity_logs, success_milestones and support_interactions. The customer_health
-- triggers then compute overall_health_score / health_status and move the current marker.
-- Formulas: docs/formulas.md (identical to the function comment). Schedule it (pg_cron or an
-- external scheduler) together with instantiate_milestone_templates(), which gives clients
-- created since the last run their milestones:
--     SELECT healthschema_private.instantiate_milestone_templates();
--     SELECT healthschema_private.refresh_customer_health();
-- Tenant moves and wedding dates (SPEC §2.5 "access follows the client"): the platform owns
-- `clients` and we never put a trigger on it, so our rows follow a client's changes through this
-- fix-up. The platform calls it right after changing a client (same transaction: no window), and
-- the refresh job reconciles every client on each run (bounded window). docs/security.md.
CREATE FUNCTION healthschema_private.sync_client_changes(p_client_id uuid DEFAULT NULL, p_organization_id uuid DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
    changed integer;
    total integer := 0;
BEGIN
    -- 1. Organization: the rows of a client now in another organization move with it.
    UPDATE public.customer_health AS h
       SET organization_id = c.organization_id
      FROM public.clients AS c
     WHERE c.id = h.client_id AND c.organization_id IS NOT NULL
       AND h.organization_id <> c.organization_id
       AND (p_client_id IS NULL OR c.id = p_client_id)
       AND (p_organization_id IS NULL OR c.organization_id = p_organization_id);
    GET DIAGNOSTICS changed = ROW_COUNT;
    total := total + changed;
    UPDATE public.success_milestones AS m
       SET organization_id = c.organization_id
      FROM public.clients AS c
     WHERE c.id = m.client_id AND c.organization_id IS NOT NULL
       AND m.organization_id <> c.organization_id
       AND (p_client_id IS NULL OR c.id = p_client_id)
       AND (p_organization_id IS NULL OR c.organization_id = p_organization_id);
    GET DIAGNOSTICS changed = ROW_COUNT;
    total := total + changed;
    UPDATE public.support_interactions AS si
       SET organization_id = c.organization_id
      FROM public.clients AS c
     WHERE c.id = si.client_id AND c.organization_id IS NOT NULL
       AND si.organization_id <> c.organization_id
       AND (p_client_id IS NULL OR c.id = p_client_id)
       AND (p_organization_id IS NULL OR c.organization_id = p_organization_id);
    GET DIAGNOSTICS changed = ROW_COUNT;
    total := total + changed;

    -- 2. Wedding context: the milestones take the client's wedding date; open milestones of
    --    wedding-anchored templates get their target date again (anchor + due_offset_days).
    UPDATE public.success_milestones AS m
       SET wedding_date = c.wedding_date,
           target_completion_date = coalesce((
               SELECT coalesce(c.wedding_date, (c.created_at AT TIME ZONE 'UTC')::date + 365)
                      + t.due_offset_days
                 FROM public.milestone_templates AS t
                WHERE t.id = m.template_id AND t.due_anchor = 'wedding_date'
                  AND m.auto_generated AND m.status IN ('pending', 'in_progress')), m.target_completion_date)
      FROM public.clients AS c
     WHERE c.id = m.client_id
       AND m.wedding_date IS DISTINCT FROM c.wedding_date
       AND (p_client_id IS NULL OR c.id = p_client_id)
       AND (p_organization_id IS NULL OR c.organization_id = p_organization_id);
    GET DIAGNOSTICS changed = ROW_COUNT;
    total := total + changed;

    -- 3. Countdown as of today (only days_until_wedding: the lifecycle trigger does not fire).
    UPDATE public.success_milestones AS m
       SET days_until_wedding = m.wedding_date - (pg_catalog.now() AT TIME ZONE 'UTC')::date
     WHERE m.days_until_wedding IS DISTINCT FROM m.wedding_date - (pg_catalog.now() AT TIME ZONE 'UTC')::date
       AND (p_client_id IS NULL OR m.client_id = p_client_id)
       AND (p_organization_id IS NULL OR m.organization_id = p_organization_id);
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN total + changed;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.sync_client_changes(uuid, uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION healthschema_private.sync_client_changes(uuid, uuid) TO service_role;
COMMENT ON FUNCTION healthschema_private.sync_client_changes(uuid, uuid) IS
    'Fix-up after the platform changed clients (all, one client, or the clients of one organization): customer_health, success_milestones and support_interactions rows of a client now in another organization move to it; milestones take the client''s wedding_date (open milestones of wedding-anchored templates get target_completion_date = wedding_date + due_offset_days again); days_until_wedding = wedding_date - today (UTC). Returns the number of rows changed. Called by refresh_customer_health. SECURITY DEFINER: writes every tenant''s rows; executable by service_role and the owner only.';

CREATE FUNCTION healthschema_private.refresh_customer_health(p_organization_id uuid DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
    inserted integer;
BEGIN
    -- Our rows follow the platform's client changes first (organization, wedding date, countdown).
    PERFORM healthschema_private.sync_client_changes(NULL, p_organization_id);
    -- The current marker, set-based: unmark, in one statement, the current snapshot of every client
    -- this run writes a newer one for (calculated_at <= now(); a future-dated current snapshot stays
    -- and the trigger stores the new row as history). The customer_health_score trigger then finds
    -- no current row and marks the new one without a per-row UPDATE; still one extra row version
    -- per snapshot, and the UPDATE's row locks serialise per client exactly as the trigger's would.
    UPDATE public.customer_health AS h
       SET is_current = false
      FROM public.clients AS c
     WHERE c.id = h.client_id AND h.is_current AND h.calculated_at <= pg_catalog.now()
       AND c.organization_id IS NOT NULL
       AND (p_organization_id IS NULL OR c.organization_id = p_organization_id);
    INSERT INTO public.customer_health (
        client_id, organization_id,
        engagement_score, progress_score, satisfaction_score, churn_risk_score,
        last_login_at, total_logins, days_since_last_activity, features_used,
        task_completion_rate, messages_sent, messages_received, response_rate,
        wedding_progress_percentage, milestones_completed, overdue_tasks, support_tickets_count,
        score_calculation_version, factors_considered, calculated_at)
    SELECT f.client_id, f.organization_id,
           f.engagement_score, f.progress_score, f.satisfaction_score,
           LEAST(100,
                 LEAST(40, f.days_inactive)
                 + LEAST(20, 5 * f.overdue)
                 + LEAST(15, 5 * f.open_tickets)
                 + LEAST(15, 5 * f.sla_breaches)
                 + CASE WHEN f.satisfaction_score < 50 THEN 10 ELSE 0 END),
           f.last_login_at, f.total_logins, f.days_inactive, f.features_used,
           f.task_completion_rate, f.messages_sent, f.messages_received, f.response_rate,
           f.wedding_progress, f.completed, f.overdue, f.open_tickets,
           'refresh-v1',
           pg_catalog.jsonb_build_object(
               'formula', 'refresh-v1',
               'logins_30d', f.logins_30d,
               'other_actions_30d', f.other_actions_30d,
               'last_activity_at', f.last_activity_at,
               'milestones_counted', f.counted,
               'open_tickets', f.open_tickets,
               'sla_breaches_90d', f.sla_breaches,
               'ratings_90d', f.ratings),
           pg_catalog.now()
      FROM (
        SELECT e.*, m.*, t.*,
               -- engagement = 0.7 * frequency + 0.3 * recency
               pg_catalog.round(
                   0.7 * LEAST(100, 10 * e.logins_30d + 2 * e.other_actions_30d)
                   + 0.3 * GREATEST(0, 100 - 10 * e.days_inactive), 2) AS engagement_score,
               -- progress = 0.5 * completion rate + 0.5 * average progress - 10 per overdue (50 without milestones)
               CASE
                   WHEN m.counted = 0 THEN 50
                   ELSE pg_catalog.round(GREATEST(0,
                       50.0 * m.completed / m.counted + 0.5 * m.avg_progress - 10 * m.overdue), 2)
               END AS progress_score,
               -- satisfaction = (average 1-5 rating of the last 90 days - 1) * 25, NULL without ratings
               pg_catalog.round((t.avg_rating - 1) * 25, 2) AS satisfaction_score,
               CASE WHEN m.counted = 0 THEN 0 ELSE pg_catalog.round(100.0 * m.completed / m.counted, 2) END
                   AS task_completion_rate,
               pg_catalog.round(coalesce(m.avg_progress, 0), 2) AS wedding_progress,
               CASE WHEN t.messages_sent = 0 THEN 0
                    ELSE pg_catalog.round(100.0 * LEAST(t.messages_received, t.messages_sent) / t.messages_sent, 2)
               END AS response_rate
          -- Set-based: each source is read once and aggregated per client (hash joins), instead
          -- of one lookup per client and source (docs/performance.md, refresh throughput).
          FROM (
            SELECT c.id AS client_id, c.organization_id,
                   coalesce(a.logins_30d, 0) AS logins_30d, coalesce(a.other_actions_30d, 0) AS other_actions_30d,
                   coalesce(a.total_logins, 0) AS total_logins, a.last_login_at, a.last_activity_at,
                   coalesce(a.features_used, '{}'::jsonb) AS features_used,
                   GREATEST(0, pg_catalog.floor(EXTRACT(epoch FROM
                       pg_catalog.now() - coalesce(a.last_activity_at, c.created_at)) / 86400))::integer
                       AS days_inactive
              FROM public.clients AS c
              -- The activity source is read once: counted per client and action, then per client
              -- (the features_used object is the 30-day count of each non-login action).
              LEFT JOIN (
                SELECT pa.client_id,
                       sum(pa.uses_30d) FILTER (WHERE pa.action = 'login')::integer AS logins_30d,
                       sum(pa.uses_30d) FILTER (WHERE pa.action <> 'login')::integer AS other_actions_30d,
                       sum(pa.uses) FILTER (WHERE pa.action = 'login')::integer AS total_logins,
                       max(pa.last_at) FILTER (WHERE pa.action = 'login') AS last_login_at,
                       max(pa.last_at) AS last_activity_at,
                       pg_catalog.jsonb_object_agg(pa.action, pa.uses_30d)
                           FILTER (WHERE pa.action <> 'login' AND pa.uses_30d > 0) AS features_used
                  FROM (SELECT l.client_id AS client_id, l.action AS action, count(*) AS uses,
                               count(*) FILTER (WHERE l.created_at >= pg_catalog.now() - interval '30 days') AS uses_30d,
                               max(l.created_at) AS last_at
                          FROM public.activity_logs AS l
                         WHERE p_organization_id IS NULL
                            OR l.client_id IN (SELECT sc.id FROM public.clients AS sc
                                                WHERE sc.organization_id = p_organization_id)
                         GROUP BY l.client_id, l.action) AS pa
                 GROUP BY pa.client_id
              ) AS a ON a.client_id = c.id
             WHERE c.organization_id IS NOT NULL
               AND (p_organization_id IS NULL OR c.organization_id = p_organization_id)
          ) AS e
          LEFT JOIN (
            SELECT sm.client_id,
                   count(*) FILTER (WHERE sm.status <> 'skipped')::integer AS counted,
                   count(*) FILTER (WHERE sm.status = 'completed')::integer AS completed,
                   count(*) FILTER (WHERE sm.status IN ('pending', 'in_progress')
                                      AND sm.target_completion_date < (pg_catalog.now() AT TIME ZONE 'UTC')::date)::integer AS overdue,
                   avg(sm.progress_percentage) FILTER (WHERE sm.status <> 'skipped') AS avg_progress
              FROM public.success_milestones AS sm
             WHERE p_organization_id IS NULL OR sm.organization_id = p_organization_id
             GROUP BY sm.client_id
          ) AS ma ON ma.client_id = e.client_id
          LEFT JOIN (
            SELECT si.client_id,
                   count(*) FILTER (WHERE si.status IN ('open', 'in_progress', 'pending_customer', 'escalated'))::integer
                       AS open_tickets,
                   count(*) FILTER (WHERE si.created_at >= pg_catalog.now() - interval '90 days' AND (
                           si.sla_response_met IS FALSE OR si.sla_resolution_met IS FALSE
                           OR (si.first_response_at IS NULL AND si.resolved_at IS NULL AND si.sla_response_due_at < pg_catalog.now())
                           OR (si.resolved_at IS NULL AND si.sla_resolution_due_at < pg_catalog.now())))::integer
                       AS sla_breaches,
                   avg(si.customer_satisfaction_rating)
                       FILTER (WHERE si.created_at >= pg_catalog.now() - interval '90 days') AS avg_rating,
                   count(si.customer_satisfaction_rating)
                       FILTER (WHERE si.created_at >= pg_catalog.now() - interval '90 days')::integer AS ratings,
                   coalesce(sum(si.messages_sent) FILTER (WHERE si.created_at >= pg_catalog.now() - interval '90 days'), 0)::integer
                       AS messages_sent,
                   coalesce(sum(si.messages_received) FILTER (WHERE si.created_at >= pg_catalog.now() - interval '90 days'), 0)::integer
                       AS messages_received
              FROM public.support_interactions AS si
             WHERE p_organization_id IS NULL OR si.organization_id = p_organization_id
             GROUP BY si.client_id
          ) AS ta ON ta.client_id = e.client_id
         -- A client without milestones or interactions counts zero of each (as the per-client counts did).
         CROSS JOIN LATERAL (
            SELECT coalesce(ma.counted, 0) AS counted, coalesce(ma.completed, 0) AS completed,
                   coalesce(ma.overdue, 0) AS overdue, ma.avg_progress
         ) AS m
         CROSS JOIN LATERAL (
            SELECT coalesce(ta.open_tickets, 0) AS open_tickets, coalesce(ta.sla_breaches, 0) AS sla_breaches,
                   ta.avg_rating, coalesce(ta.ratings, 0) AS ratings,
                   coalesce(ta.messages_sent, 0) AS messages_sent, coalesce(ta.messages_received, 0) AS messages_received
         ) AS t
      ) AS f;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    RETURN inserted;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.refresh_customer_health(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION healthschema_private.refresh_customer_health(uuid) TO service_role;
COMMENT ON FUNCTION healthschema_private.refresh_customer_health(uuid) IS
    'First runs sync_client_changes (for p_organization_id), then inserts one customer_health snapshot per client with an organization (or of p_organization_id); returns the number inserted. Inputs: activity_logs (logins_30d = action login in the last 30 days, other_actions_30d, last activity), success_milestones except skipped (counted, completed, overdue = pending/in_progress with target_completion_date before today (UTC), average progress), support_interactions (open tickets; in the last 90 days: SLA breaches = a met flag false, or past a due time with neither response nor resolution (response) / unresolved (resolution); 1-5 ratings, messages). days_inactive = whole days since the last activity (or since the client was created). engagement = round(0.7 * least(100, 10*logins_30d + 2*other_actions_30d) + 0.3 * greatest(0, 100 - 10*days_inactive), 2). progress = 50 without milestones, else round(greatest(0, 50*completed/counted + 0.5*avg_progress - 10*overdue), 2). satisfaction = round((avg_rating - 1) * 25, 2), NULL without ratings. churn_risk = least(100, least(40, days_inactive) + least(20, 5*overdue) + least(15, 5*open_tickets) + least(15, 5*sla_breaches) + (10 if satisfaction < 50)). Overall score and status: the customer_health trigger. SECURITY DEFINER: reads every tenant''s rows; executable by service_role and the owner only.';
