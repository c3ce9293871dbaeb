-- Save a fee table as a new version (never overwriting an older one).
INSERT INTO fee_table_versions
SELECT coalesce(max(version), 0) + 1, $label, $toml, current_timestamp, $created_by FROM fee_table_versions
RETURNING version;
