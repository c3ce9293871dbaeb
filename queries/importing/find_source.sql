-- Was this exact file (by SHA-256 of its bytes) imported before?
SELECT original_name, kind, imported_at
FROM source_files
WHERE sha256 = $sha256;
