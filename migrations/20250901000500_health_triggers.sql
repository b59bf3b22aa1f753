-- Rendered by `healthschema render` from templates/health/20250901000500_health_triggers.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- Trigger functions and triggers of the health schema (SPEC §2.4): updated_at, the weighted
-- overall health score and status, the current-snapshot marker, the milestone lifecycle with
-- prerequisites, and the support SLA. Formulas: docs/formulas.md. The organization rule is
-- 20250901000050's enforce_client_organization.
--
-- Every function: in the private schema, SET search_path = '', schema-qualified names,
-- EXECUTE revoked from PUBLIC (firing a trigger needs no EXECUTE privilege). SECURITY DEFINER
-- only where a trigger must read rows the caller may not see (configuration, the client, all
-- prerequisites of a milestone): such functions only read other rows and change NEW.

-- updated_at ---------------------------------------------------------------------------------
CREATE FUNCTION healthschema_private.set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $fn$
BEGIN
    NEW.updated_at := pg_catalog.now();
    RETURN NEW;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.set_updated_at() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.set_updated_at() IS
    'Trigger: updated_at = now() on every UPDATE';

CREATE TRIGGER customer_health_set_updated_at
    BEFORE UPDATE ON public.customer_health
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.set_updated_at();
CREATE TRIGGER success_milestones_set_updated_at
    BEFORE UPDATE ON public.success_milestones
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.set_updated_at();
CREATE TRIGGER support_interactions_set_updated_at
    BEFORE UPDATE ON public.support_interactions
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.set_updated_at();
CREATE TRIGGER milestone_templates_set_updated_at
    BEFORE UPDATE ON public.milestone_templates
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.set_updated_at();
CREATE TRIGGER health_score_config_set_updated_at
    BEFORE UPDATE ON public.health_score_config
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.set_updated_at();
CREATE TRIGGER sla_targets_set_updated_at
    BEFORE UPDATE ON public.sla_targets
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.set_updated_at();

-- customer_health: overall score and status ---------------------------------------------------
CREATE FUNCTION healthschema_private.health_overall_score(
    p_engagement numeric, p_progress numeric, p_satisfaction numeric, p_churn_risk numeric
)
RETURNS numeric
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
    SELECT pg_catalog.round(
        CASE
            WHEN p_satisfaction IS NULL THEN
                (c.weight_engagement * p_engagement + c.weight_progress * p_progress
                 + c.weight_churn_risk * (100 - p_churn_risk))
                / (c.weight_engagement + c.weight_progress + c.weight_churn_risk)
            ELSE
                c.weight_engagement * p_engagement + c.weight_progress * p_progress
                + c.weight_satisfaction * p_satisfaction + c.weight_churn_risk * (100 - p_churn_risk)
        END, 2)
    FROM public.health_score_config AS c
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.health_overall_score(numeric, numeric, numeric, numeric) FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.health_overall_score(numeric, numeric, numeric, numeric) IS
    'overall = round(we*engagement + wp*progress + ws*satisfaction + wc*(100 - churn_risk), 2) with the weights of health_score_config; satisfaction NULL: round((we*engagement + wp*progress + wc*(100 - churn_risk)) / (we + wp + wc), 2). SECURITY DEFINER: reads the configuration whatever the caller may see.';

CREATE FUNCTION healthschema_private.health_status_for(p_score numeric)
RETURNS varchar
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
    SELECT CASE
               WHEN p_score >= c.threshold_excellent THEN 'excellent'
               WHEN p_score >= c.threshold_good THEN 'good'
               WHEN p_score >= c.threshold_at_risk THEN 'at_risk'
               ELSE 'critical'
           END::varchar
    FROM public.health_score_config AS c
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.health_status_for(numeric) FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.health_status_for(numeric) IS
    'health_status = excellent if score >= threshold_excellent, good if >= threshold_good, at_risk if >= threshold_at_risk, else critical (thresholds of health_score_config)';

-- A snapshot is written once (SPEC §2.4, §6): the BEFORE INSERT trigger computes its score and
-- status and decides whether it is the client's current one; if so it first unmarks the previous
-- current row - the only extra row version a snapshot costs. Nothing ever re-scores a snapshot:
-- this trigger does not fire on UPDATE, and customer_health_immutable rejects changing a written one.
CREATE FUNCTION healthschema_private.customer_health_score()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
SET enable_seqscan = off
SET jit = off
AS $fn$
DECLARE
    cur_id uuid;
    cur_at timestamptz;
    cfg record;
BEGIN
    -- health_overall_score / health_status_for inlined: one read of the configuration per row.
    SELECT c.* INTO cfg FROM public.health_score_config AS c;
    NEW.overall_health_score := pg_catalog.round(
        CASE
            WHEN NEW.satisfaction_score IS NULL THEN
                (cfg.weight_engagement * NEW.engagement_score + cfg.weight_progress * NEW.progress_score
                 + cfg.weight_churn_risk * (100 - NEW.churn_risk_score))
                / (cfg.weight_engagement + cfg.weight_progress + cfg.weight_churn_risk)
            ELSE
                cfg.weight_engagement * NEW.engagement_score + cfg.weight_progress * NEW.progress_score
                + cfg.weight_satisfaction * NEW.satisfaction_score + cfg.weight_churn_risk * (100 - NEW.churn_risk_score)
        END, 2);
    IF NEW.overall_health_score IS NULL THEN
        RAISE EXCEPTION 'customer_health: cannot compute overall_health_score: health_score_config is empty'
            USING ERRCODE = 'not_null_violation',
                  HINT = 'restore the single row of health_score_config';
    END IF;
    NEW.health_status := CASE
               WHEN NEW.overall_health_score >= cfg.threshold_excellent THEN 'excellent'
               WHEN NEW.overall_health_score >= cfg.threshold_good THEN 'good'
               WHEN NEW.overall_health_score >= cfg.threshold_at_risk THEN 'at_risk'
               ELSE 'critical'
           END;

    -- Current marker, serialised per client: lock the client's current snapshot (a row lock on
    -- our own row: no lock-table entry, so a refresh of a million clients in one transaction is
    -- fine). Rows written earlier by the same statement are visible here, so several snapshots of
    -- one client in one INSERT work too.
    SELECT h.id, h.calculated_at INTO cur_id, cur_at
      FROM public.customer_health AS h
     WHERE h.client_id = NEW.client_id AND h.is_current
       FOR UPDATE;
    IF NOT FOUND THEN
        -- The client's first snapshot, or a concurrent transaction has just replaced the current
        -- one: serialise on the client row (only in this case), then look again with a fresh
        -- snapshot (READ COMMITTED sees the other transaction's committed row).
        PERFORM FROM public.clients AS c WHERE c.id = NEW.client_id FOR NO KEY UPDATE;
        SELECT h.id, h.calculated_at INTO cur_id, cur_at
          FROM public.customer_health AS h
         WHERE h.client_id = NEW.client_id AND h.is_current
           FOR UPDATE;
    END IF;
    IF cur_id IS NOT NULL AND cur_at > NEW.calculated_at THEN
        -- Back-dated: stored as history, the current snapshot stays.
        NEW.is_current := false;
    ELSE
        IF cur_id IS NOT NULL THEN
            UPDATE public.customer_health AS h SET is_current = false WHERE h.id = cur_id;
        END IF;
        NEW.is_current := true;
    END IF;
    RETURN NEW;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.customer_health_score() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.customer_health_score() IS
    'Trigger (BEFORE INSERT): overall_health_score = health_overall_score(engagement, progress, satisfaction, churn_risk), health_status = health_status_for(overall); the snapshot becomes is_current unless the client''s current one has a later calculated_at (ties: the new row wins), and the previous current row is unmarked (its only change). Serialised per client: a row lock on the client''s current snapshot, or on the client row for its first snapshot. SECURITY DEFINER: reads health_score_config (once per row: the score functions are inlined) and unmarks rows the inserting role may not update.';

CREATE TRIGGER customer_health_score
    BEFORE INSERT ON public.customer_health
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.customer_health_score();

-- customer_health: written snapshots are immutable ------------------------------------------
-- Only is_current (the marker), organization_id (the client moved: sync_client_changes) and
-- updated_at may change. The trigger fires only for an UPDATE that names another column (UPDATE OF),
-- so the marker move and a tenant move do not evaluate it at all (the to_jsonb comparison of both
-- rows it replaced cost more than the rest of a snapshot insert, docs/performance.md); the WHEN
-- clause lets an UPDATE that names a column without changing it through.
CREATE FUNCTION healthschema_private.customer_health_reject_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $fn$
BEGIN
    RAISE EXCEPTION 'customer_health: snapshot % is immutable; insert a new snapshot instead', OLD.id
        USING ERRCODE = 'object_not_in_prerequisite_state',
              HINT = 'only is_current and organization_id of a written snapshot change (kept by the health triggers)';
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.customer_health_reject_change() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.customer_health_reject_change() IS
    'Trigger: rejects (55000) any change to a written customer_health snapshot other than is_current, organization_id and updated_at';

CREATE TRIGGER customer_health_immutable
    BEFORE UPDATE OF id, client_id, overall_health_score, engagement_score, progress_score, satisfaction_score, churn_risk_score, health_status, last_login_at, total_logins, days_since_last_activity, session_duration_avg_minutes, features_used, form_completion_rate, task_completion_rate, messages_sent, messages_received, response_rate, wedding_progress_percentage, milestones_completed, overdue_tasks, support_tickets_count, payment_issues_count, billing_status, score_calculation_version, factors_considered, calculated_at, created_at
    ON public.customer_health
    FOR EACH ROW
    WHEN (ROW(OLD.id, OLD.client_id, OLD.overall_health_score, OLD.engagement_score, OLD.progress_score, OLD.satisfaction_score, OLD.churn_risk_score, OLD.health_status, OLD.last_login_at, OLD.total_logins, OLD.days_since_last_activity, OLD.session_duration_avg_minutes, OLD.features_used, OLD.form_completion_rate, OLD.task_completion_rate, OLD.messages_sent, OLD.messages_received, OLD.response_rate, OLD.wedding_progress_percentage, OLD.milestones_completed, OLD.overdue_tasks, OLD.support_tickets_count, OLD.payment_issues_count, OLD.billing_status, OLD.score_calculation_version, OLD.factors_considered, OLD.calculated_at, OLD.created_at)
          IS DISTINCT FROM ROW(NEW.id, NEW.client_id, NEW.overall_health_score, NEW.engagement_score, NEW.progress_score, NEW.satisfaction_score, NEW.churn_risk_score, NEW.health_status, NEW.last_login_at, NEW.total_logins, NEW.days_since_last_activity, NEW.session_duration_avg_minutes, NEW.features_used, NEW.form_completion_rate, NEW.task_completion_rate, NEW.messages_sent, NEW.messages_received, NEW.response_rate, NEW.wedding_progress_percentage, NEW.milestones_completed, NEW.overdue_tasks, NEW.support_tickets_count, NEW.payment_issues_count, NEW.billing_status, NEW.score_calculation_version, NEW.factors_considered, NEW.calculated_at, NEW.created_at))
    EXECUTE FUNCTION healthschema_private.customer_health_reject_change();

-- success_milestones: lifecycle, prerequisites, wedding countdown -------------------------------
CREATE FUNCTION healthschema_private.success_milestone_check_prerequisites(
    p_id uuid, p_client_id uuid, p_prerequisites uuid[]
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
SET enable_seqscan = off
SET jit = off
AS $fn$
DECLARE
    missing uuid;
    foreign_id uuid;
    cycle_name varchar;
    cycle_id uuid;
    api_caller boolean := healthschema_private.caller_is_api_user();
BEGIN
    IF p_id = ANY (p_prerequisites) THEN
        RAISE EXCEPTION 'success_milestones: milestone % cannot be its own prerequisite', p_id
            USING ERRCODE = 'check_violation', HINT = 'remove its own id from prerequisite_milestone_ids';
    END IF;
    -- Serialise prerequisite changes per client under every isolation level: lock every
    -- milestone of the client and the named prerequisites. Every new link also updates its
    -- prerequisite (dependent_milestone_ids), so a concurrent transaction that changed the graph
    -- makes this lock wait (READ COMMITTED: then the checks below see its result) or fail with a
    -- serialization error (REPEATABLE READ, SERIALIZABLE; retry). A prerequisite deleted
    -- concurrently is no longer found.
    PERFORM FROM public.success_milestones AS m
      WHERE m.client_id = p_client_id OR m.id = ANY (p_prerequisites)
      ORDER BY m.id
      FOR NO KEY UPDATE;

    -- A milestone the caller cannot see is reported exactly like one that does not exist.
    SELECT u.id INTO missing
      FROM pg_catalog.unnest(p_prerequisites) AS u(id)
     WHERE NOT EXISTS (
           SELECT FROM public.success_milestones AS m
            WHERE m.id = u.id AND (NOT api_caller OR healthschema_private.caller_sees_organization(m.organization_id)))
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'success_milestones: prerequisite milestone % of milestone % does not exist', missing, p_id
            USING ERRCODE = 'foreign_key_violation', HINT = 'prerequisite_milestone_ids must name existing milestones';
    END IF;

    SELECT m.id INTO foreign_id
      FROM public.success_milestones AS m
     WHERE m.id = ANY (p_prerequisites) AND m.client_id <> p_client_id
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'success_milestones: prerequisite % of milestone % belongs to another client',
                foreign_id, p_id
            USING ERRCODE = 'check_violation', HINT = 'a prerequisite must be a milestone of the same client';
    END IF;

    -- Follow the prerequisites transitively, remembering through which direct prerequisite
    -- (root) each milestone was reached; reaching p_id again closes a cycle. UNION removes
    -- repeated (root, id) pairs, so the walk ends even on a cycle already in the table.
    WITH RECURSIVE reach (root, id) AS (
        SELECT u.id, u.id FROM pg_catalog.unnest(p_prerequisites) AS u(id)
        UNION
        SELECT r.root, u.id
          FROM reach AS r
          JOIN public.success_milestones AS m ON m.id = r.id
          CROSS JOIN LATERAL pg_catalog.unnest(m.prerequisite_milestone_ids) AS u(id)
         WHERE r.id <> p_id
    )
    SELECT m.milestone_name, m.id INTO cycle_name, cycle_id
      FROM reach AS r
      JOIN public.success_milestones AS m ON m.id = r.root
     WHERE r.id = p_id
     ORDER BY m.milestone_name, m.id
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'success_milestones: prerequisite cycle: milestone % cannot depend on "%" (%), which already depends on it',
                p_id, cycle_name, cycle_id
            USING ERRCODE = 'check_violation', HINT = 'a milestone cannot depend on itself, directly or transitively';
    END IF;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.success_milestone_check_prerequisites(uuid, uuid, uuid[]) FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.success_milestone_check_prerequisites(uuid, uuid, uuid[]) IS
    'Rejects (23503/23514) prerequisites that do not exist (or that the caller cannot see: the same message), belong to another client, or form a cycle; serialised per client under every isolation level. SECURITY DEFINER: must see every milestone of the client, whatever RLS shows the caller.';

CREATE FUNCTION healthschema_private.success_milestone_check_startable(
    p_id uuid, p_name varchar, p_status varchar, p_prerequisites uuid[]
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
SET enable_seqscan = off
SET jit = off
AS $fn$
DECLARE
    blocker record;
    found_count bigint;
BEGIN
    -- Share-lock the prerequisites: reopening one concurrently waits for this transaction, and
    -- if one is being reopened now, this waits and then sees its new status.
    PERFORM FROM public.success_milestones AS m
      WHERE m.id = ANY (p_prerequisites)
      ORDER BY m.id
      FOR SHARE;
    SELECT m.id, m.milestone_name, m.status, m.organization_id INTO blocker
      FROM public.success_milestones AS m
     WHERE m.id = ANY (p_prerequisites) AND m.status NOT IN ('completed', 'skipped')
     ORDER BY m.milestone_name, m.id
     LIMIT 1;
    IF FOUND THEN
        IF NOT healthschema_private.caller_sees_organization(blocker.organization_id) THEN
            RAISE EXCEPTION 'success_milestones: milestone % cannot become %: a prerequisite is incomplete', p_id, p_status
                USING ERRCODE = 'check_violation', HINT = 'complete or skip the prerequisites first';
        END IF;
        RAISE EXCEPTION 'success_milestones: milestone "%" (%) cannot become %: prerequisite "%" (%) is %',
                p_name, p_id, p_status, blocker.milestone_name, blocker.id, blocker.status
            USING ERRCODE = 'check_violation',
                  HINT = 'complete or skip the prerequisite first';
    END IF;
    -- A prerequisite that no longer exists blocks too (it cannot be known to be complete).
    SELECT count(*) INTO found_count FROM public.success_milestones AS m WHERE m.id = ANY (p_prerequisites);
    IF found_count < (SELECT count(DISTINCT u.id) FROM pg_catalog.unnest(p_prerequisites) AS u(id)) THEN
        RAISE EXCEPTION 'success_milestones: milestone % cannot become %: a prerequisite does not exist', p_id, p_status
            USING ERRCODE = 'foreign_key_violation', HINT = 'remove the missing id from prerequisite_milestone_ids';
    END IF;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.success_milestone_check_startable(uuid, varchar, varchar, uuid[]) FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.success_milestone_check_startable(uuid, varchar, varchar, uuid[]) IS
    'Rejects (23514, naming the blocking milestone and its id when the caller may see it) starting or completing a milestone while a prerequisite is neither completed nor skipped, or (23503) no longer exists. SECURITY DEFINER: sees every prerequisite.';

CREATE FUNCTION healthschema_private.success_milestone_lifecycle()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
    was_status varchar := CASE WHEN TG_OP = 'UPDATE' THEN OLD.status ELSE NULL END;
    prerequisites_changed boolean;
BEGIN
    -- Wedding context: default from the client, countdown in days as of today in the configured
    -- time zone (NULL without a date; refreshed daily by refresh_customer_health).
    IF TG_OP = 'INSERT' AND NEW.wedding_date IS NULL THEN
        SELECT c.wedding_date INTO NEW.wedding_date
          FROM public.clients AS c
         WHERE c.id = NEW.client_id;
    END IF;
    NEW.days_until_wedding := NEW.wedding_date - (pg_catalog.now() AT TIME ZONE 'UTC')::date;

    -- Prerequisites: valid whenever they are set or changed (an empty list needs no check).
    NEW.prerequisite_milestone_ids := coalesce(NEW.prerequisite_milestone_ids, '{}');
    IF TG_OP = 'INSERT' THEN
        -- Maintained by success_milestones_link_dependents: a new milestone has no dependents yet.
        NEW.dependent_milestone_ids := '{}';
    END IF;
    prerequisites_changed := TG_OP = 'INSERT'
        OR NEW.prerequisite_milestone_ids IS DISTINCT FROM OLD.prerequisite_milestone_ids
        OR NEW.client_id IS DISTINCT FROM OLD.client_id;
    IF pg_catalog.cardinality(NEW.prerequisite_milestone_ids) > 0 AND prerequisites_changed THEN
        PERFORM healthschema_private.success_milestone_check_prerequisites(
            NEW.id, NEW.client_id, NEW.prerequisite_milestone_ids);
    END IF;
    -- Moving to another client would leave its dependents linked across clients.
    IF TG_OP = 'UPDATE' AND NEW.client_id IS DISTINCT FROM OLD.client_id
       AND pg_catalog.cardinality(coalesce(OLD.dependent_milestone_ids, '{}')) > 0 THEN
        RAISE EXCEPTION 'success_milestones: milestone % cannot move to another client: % milestone(s) of its client depend on it',
                NEW.id, pg_catalog.cardinality(OLD.dependent_milestone_ids)
            USING ERRCODE = 'check_violation', HINT = 'remove it from their prerequisite_milestone_ids first';
    END IF;
    -- Starting or completing - or gaining prerequisites while started or completed - needs every
    -- prerequisite completed or skipped.
    IF NEW.status IN ('in_progress', 'completed')
       AND (NEW.status IS DISTINCT FROM was_status
            OR (prerequisites_changed AND pg_catalog.cardinality(NEW.prerequisite_milestone_ids) > 0)) THEN
        PERFORM healthschema_private.success_milestone_check_startable(
            NEW.id, NEW.milestone_name, NEW.status, NEW.prerequisite_milestone_ids);
    END IF;

    IF NEW.status = 'pending' THEN
        -- (Re)opened as not started.
        NEW.started_at := NULL;
    ELSIF NEW.status IN ('in_progress', 'completed') AND NEW.started_at IS NULL THEN
        -- Skipping is not starting: a skipped milestone keeps started_at as it was.
        NEW.started_at := pg_catalog.now();
    END IF;

    IF NEW.status = 'completed' THEN
        IF was_status IS DISTINCT FROM 'completed' THEN
            NEW.completed_at := coalesce(NEW.completed_at, pg_catalog.now());
            NEW.actual_completion_date := coalesce(NEW.actual_completion_date, (pg_catalog.now() AT TIME ZONE 'UTC')::date);
        END IF;
        NEW.progress_percentage := 100;
    ELSIF was_status = 'completed' THEN
        -- Reopened (or skipped after completion): no completion any more; progress restarts at
        -- 0 unless the same UPDATE sets a value below 100.
        NEW.completed_at := NULL;
        NEW.actual_completion_date := NULL;
        IF NEW.status = 'pending' OR NEW.progress_percentage IS NULL OR NEW.progress_percentage >= 100 THEN
            NEW.progress_percentage := 0;
        END IF;
    END IF;
    RETURN NEW;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.success_milestone_lifecycle() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.success_milestone_lifecycle() IS
    'Trigger: wedding_date defaults from the client; days_until_wedding = wedding_date - today (UTC); prerequisites validated (exist, same client, acyclic); starting/completing - or changing the prerequisites of a started or completed milestone - blocked by an incomplete prerequisite; a milestone others depend on cannot move to another client; in_progress/completed without started_at sets it (skipping does not); completing sets completed_at, actual_completion_date and progress 100; reopening clears them and restarts progress at 0 unless set below 100. SECURITY DEFINER: reads the client row.';

-- Fires for every column except the maintained ones, so that the daily countdown refresh and the
-- dependents bookkeeping do not run the lifecycle again.
CREATE TRIGGER success_milestones_lifecycle
    BEFORE INSERT OR UPDATE OF id, client_id, organization_id, milestone_type, milestone_category, milestone_name, milestone_description, status, priority, progress_percentage, target_completion_date, actual_completion_date, estimated_hours, actual_hours, health_score_impact, engagement_score_impact, progress_score_impact, wedding_date, is_critical_path, prerequisite_milestone_ids, auto_generated, trigger_conditions, completion_triggers, assigned_user_id, assigned_team, requires_supplier_action, supplier_dependencies, milestone_version, template_id, custom_fields, notes, created_at, started_at, completed_at
    ON public.success_milestones
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.success_milestone_lifecycle();

-- dependent_milestone_ids: the reverse of prerequisite_milestone_ids, maintained here.
CREATE FUNCTION healthschema_private.success_milestone_link_dependents()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
SET enable_seqscan = off
SET jit = off
AS $fn$
DECLARE
    old_ids uuid[] := CASE WHEN TG_OP = 'UPDATE' THEN coalesce(OLD.prerequisite_milestone_ids, '{}') ELSE '{}' END;
    new_ids uuid[] := coalesce(NEW.prerequisite_milestone_ids, '{}');
    added bigint;
    linked bigint;
BEGIN
    IF pg_catalog.cardinality(old_ids) > 0 THEN
        UPDATE public.success_milestones AS m
           SET dependent_milestone_ids = pg_catalog.array_remove(m.dependent_milestone_ids, NEW.id)
         WHERE m.id = ANY (old_ids) AND NOT m.id = ANY (new_ids);
    END IF;
    SELECT count(DISTINCT u.id) INTO added FROM pg_catalog.unnest(new_ids) AS u(id) WHERE NOT u.id = ANY (old_ids);
    UPDATE public.success_milestones AS m
       SET dependent_milestone_ids = pg_catalog.array_append(
               pg_catalog.array_remove(coalesce(m.dependent_milestone_ids, '{}'), NEW.id), NEW.id)
     WHERE m.id = ANY (new_ids) AND NOT m.id = ANY (old_ids);
    GET DIAGNOSTICS linked = ROW_COUNT;
    IF linked < added THEN
        -- A prerequisite was deleted by a transaction that committed while this one waited.
        RAISE EXCEPTION 'success_milestones: a prerequisite of milestone % does not exist', NEW.id
            USING ERRCODE = 'foreign_key_violation', HINT = 'prerequisite_milestone_ids must name existing milestones';
    END IF;
    RETURN NULL;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.success_milestone_link_dependents() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.success_milestone_link_dependents() IS
    'Trigger (AFTER INSERT/UPDATE of prerequisite_milestone_ids): keeps dependent_milestone_ids of the prerequisites in step (adds the milestone to new prerequisites, removes it from dropped ones); a prerequisite deleted meanwhile is an error (23503). SECURITY DEFINER: the prerequisites may be rows the caller cannot update.';

CREATE TRIGGER success_milestones_link_dependents_insert
    AFTER INSERT ON public.success_milestones
    FOR EACH ROW WHEN (pg_catalog.cardinality(NEW.prerequisite_milestone_ids) > 0)
    EXECUTE FUNCTION healthschema_private.success_milestone_link_dependents();
CREATE TRIGGER success_milestones_link_dependents_update
    AFTER UPDATE OF prerequisite_milestone_ids ON public.success_milestones
    FOR EACH ROW WHEN (OLD.prerequisite_milestone_ids IS DISTINCT FROM NEW.prerequisite_milestone_ids)
    EXECUTE FUNCTION healthschema_private.success_milestone_link_dependents();

-- A deleted milestone is removed from the prerequisite and dependent lists that named it.
CREATE FUNCTION healthschema_private.success_milestone_forget_deleted()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
SET enable_seqscan = off
SET jit = off
AS $fn$
BEGIN
    UPDATE public.success_milestones AS m
       SET prerequisite_milestone_ids = ARRAY(
               SELECT u.id FROM pg_catalog.unnest(m.prerequisite_milestone_ids) WITH ORDINALITY AS u(id, n)
                WHERE u.id NOT IN (SELECT o.id FROM old_rows AS o)
                ORDER BY u.n)
     WHERE m.prerequisite_milestone_ids && ARRAY(SELECT o.id FROM old_rows AS o);
    UPDATE public.success_milestones AS m
       SET dependent_milestone_ids = ARRAY(
               SELECT u.id FROM pg_catalog.unnest(m.dependent_milestone_ids) WITH ORDINALITY AS u(id, n)
                WHERE u.id NOT IN (SELECT o.id FROM old_rows AS o)
                ORDER BY u.n)
     WHERE m.id IN (SELECT u.id FROM old_rows AS o CROSS JOIN LATERAL pg_catalog.unnest(o.prerequisite_milestone_ids) AS u(id));
    RETURN NULL;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.success_milestone_forget_deleted() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.success_milestone_forget_deleted() IS
    'Trigger (AFTER DELETE, per statement): removes deleted milestones from other milestones'' prerequisite_milestone_ids and dependent_milestone_ids. SECURITY DEFINER: those rows may be invisible to the deleting role.';

CREATE TRIGGER success_milestones_forget_deleted
    AFTER DELETE ON public.success_milestones
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION healthschema_private.success_milestone_forget_deleted();

-- support_interactions: SLA, resolution, communication counters --------------------------------
CREATE FUNCTION healthschema_private.support_interaction_sla()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
    target record;
    retarget boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        retarget := true;
        -- Churn risk raises a default (medium) urgency; any other level keeps it (§11.5).
        IF NEW.urgency = 'medium' AND NEW.churn_risk_level IS NOT NULL THEN
            NEW.urgency := CASE NEW.churn_risk_level
                               WHEN 'critical' THEN 'critical'
                               WHEN 'high' THEN 'high'
                               WHEN 'low' THEN 'low'
                               ELSE NEW.urgency
                           END;
        END IF;
    ELSE
        -- A new priority on an open interaction re-targets from the configuration, unless the
        -- same UPDATE sets the targets itself, or the targets were supplied (they differ from the
        -- configured targets of the old priority): supplied targets are kept.
        retarget := NEW.priority IS DISTINCT FROM OLD.priority
                    AND NEW.status NOT IN ('resolved', 'closed')
                    AND NEW.sla_target_response_hours IS NOT DISTINCT FROM OLD.sla_target_response_hours
                    AND NEW.sla_target_resolution_hours IS NOT DISTINCT FROM OLD.sla_target_resolution_hours
                    AND EXISTS (
                        SELECT FROM public.sla_targets AS t
                         WHERE t.priority = OLD.priority
                           AND t.response_hours IS NOT DISTINCT FROM OLD.sla_target_response_hours
                           AND t.resolution_hours IS NOT DISTINCT FROM OLD.sla_target_resolution_hours);
        IF retarget THEN
            NEW.sla_target_response_hours := NULL;
            NEW.sla_target_resolution_hours := NULL;
        END IF;
    END IF;
    IF retarget THEN
        SELECT t.response_hours, t.resolution_hours INTO target
          FROM public.sla_targets AS t
         WHERE t.priority = NEW.priority;
        -- Supplied targets are kept; missing ones come from the configuration.
        NEW.sla_target_response_hours := coalesce(NEW.sla_target_response_hours, target.response_hours);
        NEW.sla_target_resolution_hours := coalesce(NEW.sla_target_resolution_hours, target.resolution_hours);
        IF NEW.sla_target_response_hours IS NULL OR NEW.sla_target_resolution_hours IS NULL THEN
            -- Without targets an interaction could never breach: refuse instead.
            RAISE EXCEPTION 'support_interactions: no SLA target for priority %', NEW.priority
                USING ERRCODE = 'not_null_violation',
                      HINT = 'add the priority to sla_targets, or supply sla_target_response_hours and sla_target_resolution_hours';
        END IF;
    END IF;
    NEW.sla_response_due_at := NEW.created_at + NEW.sla_target_response_hours * interval '1 hour';
    NEW.sla_resolution_due_at := NEW.created_at + NEW.sla_target_resolution_hours * interval '1 hour';

    -- Resolution: entering resolved/closed stamps resolved_at (insert-as-resolved included);
    -- reopening clears it.
    IF NEW.status IN ('resolved', 'closed') THEN
        NEW.resolved_at := coalesce(NEW.resolved_at, pg_catalog.now());
        IF NEW.status = 'closed' THEN
            NEW.closed_at := coalesce(NEW.closed_at, pg_catalog.now());
        ELSE
            NEW.closed_at := NULL;
        END IF;
    ELSIF TG_OP = 'UPDATE' AND OLD.status IN ('resolved', 'closed') THEN
        NEW.resolved_at := NULL;
        NEW.closed_at := NULL;
    END IF;

    -- Met flags: derived from the event time and the due timestamp whenever either is known. A
    -- resolution without a first response counts as the response (the customer got an answer).
    NEW.sla_response_met := coalesce(NEW.first_response_at, NEW.resolved_at) <= NEW.sla_response_due_at;
    NEW.sla_resolution_met := NEW.resolved_at <= NEW.sla_resolution_due_at;

    -- Communication counters; total_touchpoints is never reset (§11.9).
    IF coalesce(NEW.messages_sent, 0) > coalesce(CASE WHEN TG_OP = 'UPDATE' THEN OLD.messages_sent ELSE 0 END, 0) THEN
        NEW.customer_contacted := true;
    END IF;
    IF coalesce(NEW.messages_received, 0) > coalesce(CASE WHEN TG_OP = 'UPDATE' THEN OLD.messages_received ELSE 0 END, 0) THEN
        NEW.customer_response_received := true;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.total_touchpoints IS NOT DISTINCT FROM OLD.total_touchpoints THEN
        NEW.total_touchpoints := coalesce(OLD.total_touchpoints, 0)
            + GREATEST(coalesce(NEW.messages_sent, 0) - coalesce(OLD.messages_sent, 0), 0)
            + GREATEST(coalesce(NEW.messages_received, 0) - coalesce(OLD.messages_received, 0), 0);
    END IF;
    NEW.total_touchpoints := GREATEST(coalesce(NEW.total_touchpoints, 0),
                                      coalesce(NEW.messages_sent, 0) + coalesce(NEW.messages_received, 0));
    RETURN NEW;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.support_interaction_sla() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.support_interaction_sla() IS
    'Trigger: SLA targets from sla_targets by priority unless supplied (re-read when an open interaction with the old priority''s configured targets changes priority without new targets; supplied targets are kept); a priority without targets is an error (23502); sla_*_due_at = created_at + target hours; sla_response_met = coalesce(first_response_at, resolved_at) <= sla_response_due_at; sla_resolution_met = resolved_at <= sla_resolution_due_at; entering resolved/closed stamps resolved_at (closed_at on close), reopening clears them; message counters set customer_contacted/customer_response_received; total_touchpoints grows with new messages and is never reset; urgency medium follows churn_risk_level critical/high/low on insert. SECURITY DEFINER: reads sla_targets whatever the caller may see.';

CREATE TRIGGER support_interactions_sla
    BEFORE INSERT OR UPDATE ON public.support_interactions
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.support_interaction_sla();
