-- Stored rows whose source file is not listed in source_files: (table, source_sha256, rows).
SELECT t, source_sha256, count(*) AS n
FROM (
    SELECT 'invoice_lines' AS t, source_sha256 FROM invoice_lines
    UNION ALL SELECT 'correction_lines', source_sha256 FROM correction_lines
    UNION ALL SELECT 'payout_lines', source_sha256 FROM payout_lines
    UNION ALL SELECT 'receipts', source_sha256 FROM receipts
    UNION ALL SELECT 'receipt_lines', source_sha256 FROM receipt_lines
    UNION ALL SELECT 'statement_lines', source_sha256 FROM statement_lines
    UNION ALL SELECT 'receipt_pages', source_sha256 FROM receipt_pages
) AS rows_
WHERE source_sha256 NOT IN (SELECT sha256 FROM source_files)
GROUP BY ALL
ORDER BY 1, 2;
