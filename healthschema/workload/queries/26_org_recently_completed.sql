-- name: org_recently_completed
-- question: Which milestones did my organization's clients complete most recently?
-- persona: admin_a
-- index: success_milestones_org_id_completed_at_completed_idx
-- scope: explicit
SELECT id, client_id, milestone_name, completed_at
  FROM {app}.success_milestones
 WHERE organization_id = {org} AND status = 'completed'
 ORDER BY completed_at DESC
 LIMIT 20
