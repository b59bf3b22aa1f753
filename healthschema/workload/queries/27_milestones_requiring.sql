-- name: milestones_requiring
-- question: Which milestones wait for this one (list it as a prerequisite)?
-- persona: admin_a
-- index: success_milestones_prerequisite_milestone_ids_idx
-- scope: explicit
-- baseline: milestones_requiring_direct
SELECT id, milestone_name, status
  FROM {private}.search_milestones_requiring({milestone})
