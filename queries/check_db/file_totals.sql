-- CSV files whose recorded EUR total differs from the sum of their stored rows: (file, sha256, recorded, stored).
WITH sums AS (
    SELECT source_sha256, sum(commission_gross) AS total FROM invoice_lines GROUP BY 1
    UNION ALL SELECT source_sha256, sum(commission_gross) FROM correction_lines GROUP BY 1
    UNION ALL SELECT source_sha256, sum(payout_total) FROM (
        SELECT DISTINCT source_sha256, payout_number, payout_total FROM payout_lines
    ) AS payouts GROUP BY 1
)
SELECT f.original_name, f.sha256, f.amount_total, s.total
FROM source_files f JOIN sums s ON s.source_sha256 = f.sha256
WHERE f.kind IN ('invoice', 'correction', 'payout') AND f.amount_total IS DISTINCT FROM s.total
ORDER BY 1, 2;
