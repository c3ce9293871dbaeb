-- A document number stored from more than one file (it would be counted twice): (kind, number, files).
SELECT kind, number, count(DISTINCT source_sha256) AS files
FROM (
    SELECT 'invoice' AS kind, invoice_number AS number, source_sha256 FROM invoice_lines
    UNION ALL SELECT 'correction', correction_number, source_sha256 FROM correction_lines
    UNION ALL SELECT 'payout', payout_number, source_sha256 FROM payout_lines
) AS docs
GROUP BY ALL
HAVING count(DISTINCT source_sha256) > 1
ORDER BY 1, 2
LIMIT 50;
