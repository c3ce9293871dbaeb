-- The product's tables (the catalog's names, never user input), in a fixed order. reconcile_results is left
-- out: it holds results derived from the others (a cache), not stored documents.
SELECT table_name
FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
  AND table_name <> 'reconcile_results'
ORDER BY table_name;
