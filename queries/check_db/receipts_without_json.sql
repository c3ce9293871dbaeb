-- Receipts whose JSON is nowhere: no `raw` and no byte range in a stored text of their file: (sha256, count).
SELECT r.source_sha256, count(*) AS n
FROM receipts r LEFT JOIN receipt_pages p ON p.source_sha256 = r.source_sha256
WHERE r.raw IS NULL AND (p.source_sha256 IS NULL OR p.starts[r.source_line] IS NULL OR p.ends[r.source_line] IS NULL)
GROUP BY ALL
ORDER BY 1;
