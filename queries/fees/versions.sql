SELECT version, label, created_at, created_by FROM fee_table_versions ORDER BY version DESC;
