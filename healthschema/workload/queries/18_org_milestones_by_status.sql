-- name: org_milestones_by_status
-- question: How many milestones of my organization are in each status and priority?
-- persona: admin_a
-- index: success_milestones_org_id_status_priority_idx
-- scope: explicit
SELECT status, priority, count(*) AS milestones
  FROM {app}.success_milestones
 WHERE organization_id = {org}
 GROUP BY status, priority
 ORDER BY status, priority
