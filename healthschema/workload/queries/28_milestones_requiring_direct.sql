-- name: milestones_requiring_direct
-- question: The prerequisite search straight on the table (what service_role sends).
-- persona: service_role
-- index: success_milestones_prerequisite_milestone_ids_idx
-- scope: explicit
SELECT id, milestone_name, status
  FROM {app}.success_milestones
 WHERE prerequisite_milestone_ids @> ARRAY[{milestone}]::uuid[]
