-- What the stored data is: every source file (imports add whole files and never delete) and the schema.
SELECT (SELECT count(*) FROM source_files) AS files,
       (SELECT coalesce(string_agg(sha256 || ':' || row_count, ',' ORDER BY sha256), '') FROM source_files) AS shas,
       (SELECT coalesce(max(version), 0) FROM schema_version) AS schema;
