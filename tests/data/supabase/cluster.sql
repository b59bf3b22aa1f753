-- Supabase-shaped roles (server-wide). Run once per server as the bootstrap superuser
-- `supabase_admin`. See README.md for where each fact comes from.
CREATE ROLE anon NOLOGIN INHERIT;
CREATE ROLE authenticated NOLOGIN INHERIT;
CREATE ROLE service_role NOLOGIN INHERIT BYPASSRLS;
ALTER ROLE anon SET statement_timeout = '3s';
ALTER ROLE authenticated SET statement_timeout = '8s';

-- PostgREST connects as authenticator and switches to the role named by the JWT.
CREATE ROLE authenticator LOGIN NOINHERIT;
GRANT anon, authenticated, service_role TO authenticator;

-- GoTrue's own role owns the auth schema's tables.
CREATE ROLE supabase_auth_admin LOGIN NOINHERIT CREATEROLE;
ALTER ROLE supabase_auth_admin SET search_path = auth;

-- What a project's developers (and our deploys) connect as: demoted from superuser.
CREATE ROLE postgres LOGIN CREATEDB CREATEROLE REPLICATION BYPASSRLS;
ALTER ROLE postgres SET search_path = "$user", public, extensions;
GRANT anon, authenticated, service_role TO postgres;
GRANT supabase_auth_admin TO postgres;
