-- Every imported file: what, when, by whom, how many rows, and its EUR total.
SELECT original_name, kind, encoding, row_count, amount_total, imported_at, imported_by, sha256, size_bytes
FROM source_files
ORDER BY imported_at, original_name;
