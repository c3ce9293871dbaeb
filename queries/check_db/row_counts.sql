-- Files whose recorded row_count differs from the rows stored for them: (file, sha256, kind, recorded, stored).
WITH stored AS (
    SELECT source_sha256, count(*) AS n FROM invoice_lines GROUP BY 1
    UNION ALL SELECT source_sha256, count(*) FROM correction_lines GROUP BY 1
    UNION ALL SELECT source_sha256, count(*) FROM payout_lines GROUP BY 1
    UNION ALL SELECT source_sha256, count(*) FROM receipts GROUP BY 1
    UNION ALL SELECT source_sha256, count(*) FROM statement_lines GROUP BY 1
)
SELECT f.original_name, f.sha256, f.kind, f.row_count, coalesce(sum(s.n), 0) AS stored_rows
FROM source_files f LEFT JOIN stored s ON s.source_sha256 = f.sha256
GROUP BY ALL
HAVING f.row_count <> coalesce(sum(s.n), 0)
ORDER BY 1, 2;
