-- Seed step 5: success_milestones, 10 per client: one per active template (target date from the
-- template's rule, prerequisites resolved to the client's own milestones, as
-- instantiate_milestone_templates makes them) plus custom ones up to 10. Status by due date:
-- past due → 80% completed, 5% skipped, the rest open (overdue); not yet due → 10% completed,
-- 20% in progress, 70% pending. 30% are assigned to the organization's member. trigger_conditions:
-- one of 8 events and one of 5,000 vendor ids.
CREATE TEMP TABLE seed_milestone ON COMMIT DROP AS
SELECT c.id AS client_id, c.organization_id, c.member_id, c.wedding_date, c.created_at AS client_created,
       t.id AS template_id, t.template_key, t.prerequisite_keys, t.milestone_type, t.milestone_category,
       t.milestone_name, t.priority, t.is_critical_path, t.health_score_impact, t.engagement_score_impact,
       t.progress_score_impact,
       CASE WHEN t.due_anchor = 'wedding_date' THEN c.wedding_date + t.due_offset_days
            ELSE c.created_at::date + t.due_offset_days END AS target_date,
       gen_random_uuid() AS id, random() AS r, floor(random() * 20)::int AS lag
  FROM seed_client AS c
 CROSS JOIN {app}.milestone_templates AS t
 WHERE t.is_active;
INSERT INTO seed_milestone (client_id, organization_id, member_id, wedding_date, client_created, template_id,
                            template_key, prerequisite_keys, milestone_type, milestone_category, milestone_name,
                            priority, is_critical_path, health_score_impact, engagement_score_impact,
                            progress_score_impact, target_date, id, r, lag)
SELECT c.id, c.organization_id, c.member_id, c.wedding_date, c.created_at, NULL, NULL, '{{}}',
       (ARRAY['custom', 'payment', 'review', 'seating_plan', 'venue_booked'])[1 + floor(random() * 5)::int],
       (ARRAY['planning', 'vendor_management', 'guest_management', 'communication'])[1 + floor(random() * 4)::int],
       'Custom task ' || g,
       (ARRAY['low', 'medium', 'medium', 'high', 'critical'])[1 + floor(random() * 5)::int],
       random() < 0.2, 0, 0, 0,
       c.created_at::date + floor(random() * (c.wedding_date - c.created_at::date + 1))::int,
       gen_random_uuid(), random(), floor(random() * 20)::int
  FROM seed_client AS c
 CROSS JOIN generate_series(1, greatest(0, 10 - (SELECT count(*) FROM {app}.milestone_templates WHERE is_active))::int) AS g;
CREATE INDEX ON seed_milestone (client_id);
ANALYZE seed_milestone;

INSERT INTO {app}.success_milestones (
    id, client_id, organization_id, milestone_type, milestone_category, milestone_name, status, priority,
    progress_percentage, target_completion_date, actual_completion_date, started_at, completed_at,
    health_score_impact, engagement_score_impact, progress_score_impact, wedding_date, days_until_wedding,
    is_critical_path, prerequisite_milestone_ids, dependent_milestone_ids, auto_generated, trigger_conditions,
    assigned_user_id, assigned_team, template_id, created_at, updated_at)
SELECT m.id, m.client_id, m.organization_id, m.milestone_type, m.milestone_category, m.milestone_name,
       s.status, m.priority,
       CASE s.status WHEN 'completed' THEN 100 WHEN 'in_progress' THEN round((10 + random() * 80)::numeric, 2) ELSE 0 END,
       m.target_date,
       CASE WHEN s.status = 'completed' THEN s.done_at::date END,
       CASE WHEN s.status IN ('in_progress', 'completed') THEN s.done_at - interval '3 days' END,
       CASE WHEN s.status = 'completed' THEN s.done_at END,
       m.health_score_impact, m.engagement_score_impact, m.progress_score_impact,
       m.wedding_date, m.wedding_date - current_date, m.is_critical_path,
       coalesce((SELECT array_agg(p.id ORDER BY p.template_key) FROM seed_milestone AS p
                  WHERE p.client_id = m.client_id AND p.template_key = ANY (m.prerequisite_keys)), '{{}}'),
       '{{}}', m.template_id IS NOT NULL,
       jsonb_build_object('event', (ARRAY['form_submitted', 'vendor_booked', 'guest_list_updated', 'payment_received',
                                          'timeline_shared', 'contract_signed', 'budget_approved', 'rsvp_closed'])
                                   [1 + floor(random() * 8)::int],
                          'vendor_id', floor(random() * 5000)::int),
       CASE WHEN random() < 0.3 THEN m.member_id END,
       (ARRAY['customer_success', 'support', 'sales', 'technical'])[1 + floor(random() * 4)::int],
       m.template_id, m.client_created, m.client_created
  FROM seed_milestone AS m
 CROSS JOIN LATERAL (
     SELECT CASE
                WHEN m.target_date < current_date THEN
                    CASE WHEN m.r < 0.80 THEN 'completed' WHEN m.r < 0.85 THEN 'skipped'
                         WHEN m.r < 0.92 THEN 'in_progress' ELSE 'pending' END
                ELSE CASE WHEN m.r < 0.10 THEN 'completed' WHEN m.r < 0.30 THEN 'in_progress' ELSE 'pending' END
            END AS status,
            least(now(), greatest(m.client_created, m.target_date - m.lag)) AS done_at) AS s;
