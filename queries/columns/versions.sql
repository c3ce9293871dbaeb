-- Every saved mapping, newest first; `in_force` marks the newest one per header.
SELECT version, kind, headers, label, created_at, created_by,
       version = max(version) OVER (PARTITION BY header_key) AS in_force
FROM column_mappings
ORDER BY version DESC;
