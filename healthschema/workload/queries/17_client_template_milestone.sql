-- name: client_template_milestone
-- question: Where is this client with a template's milestone (e.g. vendor booking)?
-- persona: member_a
-- index: success_milestones_template_id_client_id_key
-- scope: explicit
SELECT id, status, progress_percentage, target_completion_date
  FROM {app}.success_milestones
 WHERE template_id = {template} AND client_id = {client}
