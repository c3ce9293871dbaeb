-- The fee table version in force: the newest one saved.
SELECT version, label, toml FROM fee_table_versions ORDER BY version DESC LIMIT 1;
