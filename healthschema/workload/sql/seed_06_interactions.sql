-- Seed step 6: support_interactions, about 3 per client (0..6, more for struggling clients)
-- over the last 180 days. Status mix: 15% open, 8% in progress, 4% pending customer, 3%
-- escalated, 30% resolved, 40% closed; SLA targets and due timestamps from sla_targets (so old
-- open ones are breached); 60% assigned to a customer-success agent, 20% to the organization's
-- member; half of the closed ones rated 1-5; two tags from a fixed vocabulary plus one of 2,000
-- campaign tags (campaign-N).
CREATE TEMP TABLE seed_interaction ON COMMIT DROP AS
SELECT c.id AS client_id, c.organization_id, c.member_id,
       now() - power(random(), 1.3) * interval '180 days' AS created_at,
       random() AS r_status, random() AS r_assign, random() AS r_resp,
       (ARRAY['low', 'medium', 'medium', 'high', 'critical'])[1 + floor(random() * 5)::int] AS priority
  FROM seed_client AS c
 CROSS JOIN LATERAL generate_series(1, floor(7 * random() * (1.4 - c.vitality) / 0.9)::int) AS g;

INSERT INTO {app}.support_interactions (
    client_id, organization_id, interaction_type, interaction_category, interaction_method, subject,
    priority, urgency, assigned_user_id, assigned_team, escalation_level, status, created_at, updated_at,
    first_response_at, resolved_at, closed_at, sla_target_response_hours, sla_target_resolution_hours,
    sla_response_due_at, sla_resolution_due_at, sla_response_met, sla_resolution_met,
    customer_satisfaction_rating, related_milestone_id, ai_sentiment_score, messages_sent, messages_received,
    total_touchpoints, tags)
SELECT i.client_id, i.organization_id,
       (ARRAY['proactive_outreach', 'support_ticket', 'support_ticket', 'health_check', 'churn_prevention',
              'onboarding_assistance'])[1 + floor(random() * 6)::int],
       (ARRAY['support', 'success', 'sales', 'technical', 'billing'])[1 + floor(random() * 5)::int],
       (ARRAY['email', 'phone', 'chat', 'in_app', 'video_call', 'automated'])[1 + floor(random() * 6)::int],
       'Seed interaction', i.priority, i.priority,
       CASE WHEN i.r_assign < 0.6 THEN (SELECT a.id FROM seed_agent AS a WHERE a.n = 1 + floor(i.r_assign * 16.6)::int)
            WHEN i.r_assign < 0.8 THEN i.member_id END,
       (ARRAY['customer_success', 'support', 'sales', 'technical'])[1 + floor(random() * 4)::int],
       CASE WHEN s.status = 'escalated' THEN 1 + floor(random() * 5)::int ELSE 0 END,
       s.status, i.created_at, i.created_at,
       s.first_response_at, s.resolved_at, CASE WHEN s.status = 'closed' THEN s.resolved_at END,
       t.response_hours, t.resolution_hours,
       i.created_at + t.response_hours * interval '1 hour', i.created_at + t.resolution_hours * interval '1 hour',
       s.first_response_at <= i.created_at + t.response_hours * interval '1 hour',
       s.resolved_at <= i.created_at + t.resolution_hours * interval '1 hour',
       CASE WHEN s.status = 'closed' AND random() < 0.5 THEN 1 + floor(random() * 5)::int END,
       CASE WHEN random() < 0.2 THEN (SELECT m.id FROM seed_milestone AS m WHERE m.client_id = i.client_id
                                       ORDER BY m.id LIMIT 1) END,
       round((random() * 200 - 100)::numeric, 2),
       s.sent, s.received, 1 + s.sent + s.received,
       string_to_array((ARRAY['billing,urgent', 'onboarding,setup', 'vendor,booking', 'guest_list,rsvp',
                              'payment,billing', 'bug,technical', 'feature_request,feedback',
                              'churn_risk,retention'])[1 + floor(random() * 8)::int], ',')
           || ('campaign-' || floor(random() * 2000)::int)
  FROM seed_interaction AS i
  JOIN {app}.sla_targets AS t ON t.priority = i.priority
 CROSS JOIN LATERAL (
     SELECT x.status,
            CASE WHEN x.status IN ('open', 'escalated') AND i.r_resp < 0.5 THEN NULL
                 ELSE least(now(), i.created_at + i.r_resp * t.response_hours * 1.6 * interval '1 hour') END
                AS first_response_at,
            CASE WHEN x.status IN ('resolved', 'closed')
                 THEN least(now(), i.created_at + i.r_resp * t.resolution_hours * 1.4 * interval '1 hour') END
                AS resolved_at,
            floor(i.r_resp * 8)::int AS sent, floor(i.r_resp * 5)::int AS received
       FROM (SELECT CASE WHEN i.r_status < 0.15 THEN 'open' WHEN i.r_status < 0.23 THEN 'in_progress'
                         WHEN i.r_status < 0.27 THEN 'pending_customer' WHEN i.r_status < 0.30 THEN 'escalated'
                         WHEN i.r_status < 0.60 THEN 'resolved' ELSE 'closed' END AS status) AS x) AS s;
