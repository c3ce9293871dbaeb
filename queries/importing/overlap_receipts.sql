-- Receipts of the incoming file already stored: same number, and whether the content is the same.
SELECT s.number, r.content_sha256 = s.content_sha256 AS identical, f.original_name, r.source_line
FROM receipts r
JOIN staged_numbers s ON s.number = r.receipt_number
JOIN source_files f ON f.sha256 = r.source_sha256
ORDER BY 1;
