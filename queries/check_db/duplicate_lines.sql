-- The same (file, line) stored more than once: (table, source_sha256, source_line, copies).
SELECT t, source_sha256, source_line, count(*) AS n
FROM (
    SELECT 'invoice_lines' AS t, source_sha256, source_line FROM invoice_lines
    UNION ALL SELECT 'correction_lines', source_sha256, source_line FROM correction_lines
    UNION ALL SELECT 'payout_lines', source_sha256, source_line FROM payout_lines
    UNION ALL SELECT 'receipts', source_sha256, source_line FROM receipts
    UNION ALL SELECT 'statement_lines', source_sha256, source_line FROM statement_lines
) AS rows_
GROUP BY ALL
HAVING count(*) > 1
ORDER BY 1, 2, 3
LIMIT 50;
