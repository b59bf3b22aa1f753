-- name: org_milestones_by_status_rls
-- question: The milestone counts as an app sends them: no organization filter, RLS scopes them.
-- persona: member_a
-- index: success_milestones_org_id_status_priority_idx
-- scope: rls
-- baseline: org_milestones_by_status
SELECT status, priority, count(*) AS milestones
  FROM {app}.success_milestones
 GROUP BY status, priority
 ORDER BY status, priority
