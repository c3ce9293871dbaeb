-- Save a column mapping as a new version (never overwriting an older one).
INSERT INTO column_mappings
SELECT coalesce(max(version), 0) + 1, $kind, $header_key, $headers, $toml, $label, current_timestamp, $created_by
FROM column_mappings
RETURNING version;
