-- Named statements of healthschema's connect module: each `-- name:` line starts one.

-- name: server_version
SELECT current_setting('server_version')
