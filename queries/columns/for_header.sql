-- The mapping in force for one header: the newest version saved for it.
SELECT version, kind, toml, label FROM column_mappings WHERE header_key = $header_key ORDER BY version DESC LIMIT 1;
