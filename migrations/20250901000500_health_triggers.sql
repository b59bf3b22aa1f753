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

CREATE FUNCTION healthschema_private.customer_health_score()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
BEGIN
    NEW.overall_health_score := healthschema_private.health_overall_score(
        NEW.engagement_score, NEW.progress_score, NEW.satisfaction_score, NEW.churn_risk_score);
    IF NEW.overall_health_score IS NULL THEN
        RAISE EXCEPTION 'customer_health: cannot compute overall_health_score: health_score_config is empty'
            USING ERRCODE = 'not_null_violation',
                  HINT = 'restore the single row of health_score_config';
    END IF;
    NEW.health_status := healthschema_private.health_status_for(NEW.overall_health_score);
    IF TG_OP = 'INSERT' THEN
        -- The current-snapshot marker is moved by customer_health_mark_current (AFTER INSERT).
        NEW.is_current := false;
    END IF;
    RETURN NEW;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.customer_health_score() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.customer_health_score() IS
    'Trigger: overall_health_score = health_overall_score(engagement, progress, satisfaction, churn_risk) and health_status = health_status_for(overall) on every insert and update; a new row starts with is_current = false. SECURITY DEFINER: calls the score functions, which the writing role (service_role) may not execute.';

CREATE TRIGGER customer_health_score
    BEFORE INSERT OR UPDATE ON public.customer_health
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.customer_health_score();

-- customer_health: current snapshot (set-based, once per INSERT statement) ---------------------
CREATE FUNCTION healthschema_private.customer_health_mark_current()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
BEGIN
    -- Per client touched by the statement, the winner is the latest calculated_at among the
    -- new rows and the client's current snapshot; on a tie a new row beats the old one, and new
    -- rows tie-break on id. Two statements (unmark, then mark), so the partial unique index on
    -- (client_id) WHERE is_current never sees two current rows of a client.
    -- One marker move at a time (a single lock, whatever the number of clients): a concurrent
    -- insert waits here until this transaction ends, then (READ COMMITTED) sees its result.
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('healthschema:customer_health_current', 0));
    WITH candidate AS (
        SELECT n.client_id, n.id, n.calculated_at, 1 AS is_new FROM new_rows AS n
        UNION ALL
        SELECT h.client_id, h.id, h.calculated_at, 0 AS is_new
          FROM public.customer_health AS h
         WHERE h.is_current AND h.client_id IN (SELECT n.client_id FROM new_rows AS n)
    ), winner AS (
        SELECT DISTINCT ON (c.client_id) c.client_id, c.id
          FROM candidate AS c
         ORDER BY c.client_id, c.calculated_at DESC, c.is_new DESC, c.id DESC
    )
    UPDATE public.customer_health AS h
       SET is_current = false
      FROM winner AS w
     WHERE h.client_id = w.client_id AND h.is_current AND h.id <> w.id;

    -- Now the only current rows left among these clients are winners.
    WITH winner AS (
        SELECT DISTINCT ON (n.client_id) n.client_id, n.id
          FROM new_rows AS n
         ORDER BY n.client_id, n.calculated_at DESC, n.id DESC
    )
    UPDATE public.customer_health AS h
       SET is_current = true
      FROM winner AS w
     WHERE h.id = w.id
       AND NOT EXISTS (
           SELECT FROM public.customer_health AS cur
            WHERE cur.client_id = w.client_id AND cur.is_current);
    RETURN NULL;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.customer_health_mark_current() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.customer_health_mark_current() IS
    'Trigger (AFTER INSERT, per statement): per client, the snapshot with the latest calculated_at (new rows win ties) becomes is_current and the previous current one is unmarked. SECURITY DEFINER: moves the marker on rows the inserting role may not update.';

CREATE TRIGGER customer_health_mark_current
    AFTER INSERT ON public.customer_health
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION healthschema_private.customer_health_mark_current();

-- success_milestones: lifecycle, prerequisites, wedding countdown -------------------------------
CREATE FUNCTION healthschema_private.success_milestone_check_prerequisites(
    p_id uuid, p_client_id uuid, p_prerequisites uuid[]
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
    missing uuid;
    foreign_name text;
    foreign_id uuid;
    cycle_name text;
    cycle_id uuid;
BEGIN
    IF p_id = ANY (p_prerequisites) THEN
        RAISE EXCEPTION 'success_milestones: milestone % cannot be its own prerequisite', p_id
            USING ERRCODE = 'check_violation', HINT = 'remove its own id from prerequisite_milestone_ids';
    END IF;
    -- Serialise prerequisite changes per client, so two concurrent edits cannot close a cycle:
    -- a row lock on the client (not an advisory lock: a back-fill touching thousands of clients
    -- in one transaction would exhaust the lock table). It does not block foreign-key checks.
    PERFORM FROM public.clients AS c WHERE c.id = p_client_id FOR NO KEY UPDATE;

    SELECT u.id INTO missing
      FROM pg_catalog.unnest(p_prerequisites) AS u(id)
     WHERE NOT EXISTS (SELECT FROM public.success_milestones AS m WHERE m.id = u.id)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'success_milestones: prerequisite milestone % of milestone % does not exist', missing, p_id
            USING ERRCODE = 'foreign_key_violation', HINT = 'prerequisite_milestone_ids must name existing milestones';
    END IF;

    SELECT m.milestone_name, m.id INTO foreign_name, foreign_id
      FROM public.success_milestones AS m
     WHERE m.id = ANY (p_prerequisites) AND m.client_id <> p_client_id
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'success_milestones: prerequisite "%" (%) of milestone % belongs to another client',
                foreign_name, foreign_id, p_id
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
    'Rejects (23503/23514) prerequisites that do not exist, belong to another client, or form a cycle. SECURITY DEFINER: must see every milestone of the client, whatever RLS shows the caller.';

CREATE FUNCTION healthschema_private.success_milestone_check_startable(
    p_id uuid, p_name text, p_status text, p_prerequisites uuid[]
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
    blocker record;
BEGIN
    -- Share-lock the prerequisites: reopening one concurrently waits for this transaction, and
    -- if one is being reopened now, this waits and then sees its new status.
    PERFORM FROM public.success_milestones AS m
      WHERE m.id = ANY (p_prerequisites)
      ORDER BY m.id
      FOR SHARE;
    SELECT m.id, m.milestone_name, m.status INTO blocker
      FROM public.success_milestones AS m
     WHERE m.id = ANY (p_prerequisites) AND m.status NOT IN ('completed', 'skipped')
     ORDER BY m.milestone_name, m.id
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'success_milestones: milestone "%" (%) cannot become %: prerequisite "%" (%) is %',
                p_name, p_id, p_status, blocker.milestone_name, blocker.id, blocker.status
            USING ERRCODE = 'check_violation',
                  HINT = 'complete or skip the prerequisite first';
    END IF;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.success_milestone_check_startable(uuid, text, text, uuid[]) FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.success_milestone_check_startable(uuid, text, text, uuid[]) IS
    'Rejects (23514, naming the blocking milestone and its id) starting or completing a milestone while a prerequisite is neither completed nor skipped. SECURITY DEFINER: sees every prerequisite.';

CREATE FUNCTION healthschema_private.success_milestone_lifecycle()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
    was_status text := CASE WHEN TG_OP = 'UPDATE' THEN OLD.status ELSE NULL END;
BEGIN
    -- Wedding context: default from the client, countdown in days (NULL without a date).
    IF TG_OP = 'INSERT' AND NEW.wedding_date IS NULL THEN
        SELECT c.wedding_date INTO NEW.wedding_date
          FROM public.clients AS c
         WHERE c.id = NEW.client_id;
    END IF;
    NEW.days_until_wedding := NEW.wedding_date - CURRENT_DATE;

    -- Prerequisites: valid whenever they are set or changed (an empty list needs no check).
    NEW.prerequisite_milestone_ids := coalesce(NEW.prerequisite_milestone_ids, '{}');
    IF pg_catalog.cardinality(NEW.prerequisite_milestone_ids) > 0 AND (
       TG_OP = 'INSERT' OR NEW.prerequisite_milestone_ids IS DISTINCT FROM OLD.prerequisite_milestone_ids
       OR NEW.client_id IS DISTINCT FROM OLD.client_id) THEN
        PERFORM healthschema_private.success_milestone_check_prerequisites(
            NEW.id, NEW.client_id, NEW.prerequisite_milestone_ids);
    END IF;
    -- Starting or completing needs every prerequisite completed or skipped.
    IF NEW.status IN ('in_progress', 'completed') AND NEW.status IS DISTINCT FROM was_status THEN
        PERFORM healthschema_private.success_milestone_check_startable(
            NEW.id, NEW.milestone_name, NEW.status, NEW.prerequisite_milestone_ids);
    END IF;

    IF NEW.status = 'pending' THEN
        -- (Re)opened as not started.
        NEW.started_at := NULL;
    ELSIF NEW.started_at IS NULL THEN
        NEW.started_at := pg_catalog.now();
    END IF;

    IF NEW.status = 'completed' THEN
        IF was_status IS DISTINCT FROM 'completed' THEN
            NEW.completed_at := coalesce(NEW.completed_at, pg_catalog.now());
            NEW.actual_completion_date := coalesce(NEW.actual_completion_date, CURRENT_DATE);
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
    'Trigger: wedding_date defaults from the client; days_until_wedding = wedding_date - current_date; prerequisites validated (exist, same client, acyclic); starting/completing blocked by an incomplete prerequisite; leaving pending sets started_at; completing sets completed_at, actual_completion_date and progress 100; reopening clears them and restarts progress at 0 unless set below 100. SECURITY DEFINER: reads the client row.';

CREATE TRIGGER success_milestones_lifecycle
    BEFORE INSERT OR UPDATE ON public.success_milestones
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.success_milestone_lifecycle();

-- A deleted milestone is removed from the prerequisite lists that named it (no dangling ids).
CREATE FUNCTION healthschema_private.success_milestone_forget_deleted()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
BEGIN
    UPDATE public.success_milestones AS m
       SET prerequisite_milestone_ids = ARRAY(
               SELECT u.id FROM pg_catalog.unnest(m.prerequisite_milestone_ids) WITH ORDINALITY AS u(id, n)
                WHERE u.id NOT IN (SELECT o.id FROM old_rows AS o)
                ORDER BY u.n)
     WHERE m.prerequisite_milestone_ids && ARRAY(SELECT o.id FROM old_rows AS o);
    RETURN NULL;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.success_milestone_forget_deleted() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.success_milestone_forget_deleted() IS
    'Trigger (AFTER DELETE, per statement): removes deleted milestones from other milestones'' prerequisite_milestone_ids. SECURITY DEFINER: those rows may be invisible to the deleting role.';

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
        -- same UPDATE sets the targets itself.
        retarget := NEW.priority IS DISTINCT FROM OLD.priority
                    AND NEW.status NOT IN ('resolved', 'closed')
                    AND NEW.sla_target_response_hours IS NOT DISTINCT FROM OLD.sla_target_response_hours
                    AND NEW.sla_target_resolution_hours IS NOT DISTINCT FROM OLD.sla_target_resolution_hours;
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

    -- Met flags: derived from the event time and the due timestamp whenever either is known.
    NEW.sla_response_met := NEW.first_response_at <= NEW.sla_response_due_at;
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
    'Trigger: SLA targets from sla_targets by priority unless supplied (re-read when an open interaction changes priority without new targets); sla_*_due_at = created_at + target hours; sla_response_met = first_response_at <= sla_response_due_at; sla_resolution_met = resolved_at <= sla_resolution_due_at; entering resolved/closed stamps resolved_at (closed_at on close), reopening clears them; message counters set customer_contacted/customer_response_received; total_touchpoints grows with new messages and is never reset; urgency medium follows churn_risk_level critical/high/low on insert. SECURITY DEFINER: reads sla_targets whatever the caller may see.';

CREATE TRIGGER support_interactions_sla
    BEFORE INSERT OR UPDATE ON public.support_interactions
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.support_interaction_sla();
