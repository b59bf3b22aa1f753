-- Seed step 4: activity_logs, about 22 per client over the last 120 days (lively clients act
-- more: 0..44 by vitality), 30% of them logins.
INSERT INTO {app}.activity_logs (organization_id, client_id, user_id, action, created_at)
SELECT c.organization_id, c.id, NULL,
       (ARRAY['login', 'login', 'login', 'form_submitted', 'message_sent', 'timeline_viewed',
              'guest_list_updated', 'vendor_contacted', 'budget_updated', 'document_uploaded'])[1 + floor(random() * 10)::int],
       now() - power(random(), 1.5 + c.vitality) * interval '120 days'
  FROM seed_client AS c
 CROSS JOIN LATERAL generate_series(1, floor(44 * c.vitality * random() * 2)::int) AS g;
