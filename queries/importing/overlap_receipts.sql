-- Receipts of the incoming file already stored (same number key: any case, invisible characters, full-width
-- forms), and whether the content is the same: (incoming number, identical, file, position, stored number).
SELECT s.number, r.content_sha256 = s.content_sha256 AND r.receipt_number = s.number AS identical,
       f.original_name, r.source_line, r.receipt_number
FROM staged_numbers s
JOIN document_keys k ON k.kind = 'receipt' AND k.number_key = s.number_key
JOIN receipts r ON r.receipt_number = k.number
JOIN source_files f ON f.sha256 = r.source_sha256
ORDER BY 1;
