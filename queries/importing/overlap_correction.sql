-- Correction numbers of the incoming file (staged_numbers: number, number_key) that another file already brought
-- in, compared by their key (any case, invisible characters, full-width forms): (incoming number, stored number,
-- file, sha256, imported at).
SELECT DISTINCT s.number, k.number, f.original_name, f.sha256, f.imported_at
FROM staged_numbers s
JOIN document_keys k ON k.kind = 'correction' AND k.number_key = s.number_key
JOIN source_files f ON f.sha256 = k.source_sha256
ORDER BY 1, 2;
