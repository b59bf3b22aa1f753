-- Rendered by `healthschema render` from templates/health/20250901000400_milestone_template_seed.rollback.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- The milestones the seeded templates generated, then the templates and the function.
DELETE FROM public.success_milestones
 WHERE auto_generated
   AND template_id IN (
       SELECT t.id FROM public.milestone_templates AS t
        WHERE t.template_key = ANY (ARRAY['onboarding', 'first_form', 'budget', 'vendor_booking', 'guest_list', 'timeline', 'final_details']::text[]));
DELETE FROM public.milestone_templates
 WHERE template_key = ANY (ARRAY['onboarding', 'first_form', 'budget', 'vendor_booking', 'guest_list', 'timeline', 'final_details']::text[]);
DROP FUNCTION healthschema_private.backfill_milestone_templates(text, integer);
DROP FUNCTION healthschema_private.backfill_milestone_templates_for(text, text, integer);
DROP FUNCTION healthschema_private.instantiate_milestone_templates(text);
DROP FUNCTION healthschema_private.instantiate_milestone_templates_range(text, uuid, uuid);
REVOKE USAGE ON SCHEMA healthschema_private FROM service_role;
