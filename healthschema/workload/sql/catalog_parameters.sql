-- The values the catalog's placeholders stand for, picked from the seeded data: a large supplier
-- (rank max(1, organizations / 50) by clients, e.g. the 10th of 500), its ADMIN and MEMBER, its
-- client with the most support interactions, that client's onboarding milestone
-- (a prerequisite of two others), the milestone most interactions of the organization are about,
-- a customer-success agent, and search terms of the seed's vocabularies.
WITH ranked AS (
    SELECT c.organization_id, count(*) AS clients, row_number() OVER (ORDER BY count(*) DESC, c.organization_id) AS rank
      FROM {app}.clients AS c
     WHERE c.organization_id IS NOT NULL
     GROUP BY c.organization_id
), org AS (
    SELECT r.organization_id FROM ranked AS r
     WHERE r.rank = greatest(1, (SELECT count(*) FROM ranked) / 50)
), people AS (
    SELECT (SELECT up.user_id FROM {app}.user_profiles AS up, org WHERE up.organization_id = org.organization_id
             AND up.role IN ('OWNER', 'ADMIN') ORDER BY up.user_id LIMIT 1) AS admin_id,
           (SELECT up.user_id FROM {app}.user_profiles AS up, org WHERE up.organization_id = org.organization_id
             AND up.role IN ('MEMBER', 'VIEWER') ORDER BY up.user_id LIMIT 1) AS member_id,
           (SELECT u.id FROM auth.users AS u WHERE u.raw_app_meta_data ->> 'platform_role' = 'customer_success'
             ORDER BY u.id LIMIT 1) AS agent_id
), client AS (
    SELECT c.id AS client_id FROM {app}.clients AS c, org
     WHERE c.organization_id = org.organization_id
     ORDER BY (SELECT count(*) FROM {app}.support_interactions AS i WHERE i.client_id = c.id) DESC, c.id
     LIMIT 1
)
SELECT org.organization_id, client.client_id, people.admin_id, people.member_id, people.agent_id,
       (SELECT m.id FROM {app}.success_milestones AS m JOIN {app}.milestone_templates AS t ON t.id = m.template_id
         WHERE m.client_id = client.client_id ORDER BY cardinality(t.prerequisite_keys), t.due_offset_days, m.id
         LIMIT 1) AS milestone_id,
       (SELECT i.related_milestone_id FROM {app}.support_interactions AS i
         WHERE i.organization_id = org.organization_id AND i.related_milestone_id IS NOT NULL
         GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) AS related_milestone_id,
       (SELECT t.id FROM {app}.milestone_templates AS t WHERE t.is_active ORDER BY t.due_offset_days DESC, t.id LIMIT 1)
           AS template_id
  FROM org, client, people
