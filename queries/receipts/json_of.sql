-- Where the JSON of stored receipts is, by (file sha256, position) pairs in $shas / $lines: `raw` when the
-- receipt has it, else the receipt's byte range in its file's text in receipt_pages (the fast lane's receipts;
-- recon/store/receipt_json.py decompresses each page once). (sha256, line, raw, start, end)
WITH wanted AS (SELECT unnest($shas::VARCHAR[]) AS sha, unnest($lines::INTEGER[]) AS line)
SELECT r.source_sha256, r.source_line, r.raw, p.starts[r.source_line], p.ends[r.source_line]
FROM receipts r
JOIN wanted w ON w.sha = r.source_sha256 AND w.line = r.source_line
LEFT JOIN receipt_pages p ON p.source_sha256 = r.source_sha256;
