-- The stored rows behind a discrepancy's evidence: pairs (file sha256, line) in $shas / $lines, looked up in
-- every table that keeps source lines, in the order the evidence lists them. Each row comes back whole as
-- JSON (column order kept), so the page can show the values exactly as they were stored. For a receipt,
-- `line` is its position in the JSON list: the receipt and its item and fee lines all match.
WITH given AS (
    SELECT unnest($shas::VARCHAR[]) AS sha, unnest($lines::INTEGER[]) AS line,
           generate_subscripts($shas::VARCHAR[], 1) AS pos
), wanted AS (SELECT sha, line, min(pos) AS pos FROM given GROUP BY sha, line)
SELECT f.original_name AS file, found.line, found.source_table, found.line_no, found.row_json
FROM (
    SELECT w.pos, 1 AS table_order, 'invoice_lines' AS source_table, t.source_sha256 AS sha256,
           t.source_line AS line, 0 AS line_no, to_json(t) AS row_json
    FROM invoice_lines t JOIN wanted w ON w.sha = t.source_sha256 AND w.line = t.source_line
    UNION ALL
    SELECT w.pos, 2, 'correction_lines', t.source_sha256, t.source_line, 0, to_json(t)
    FROM correction_lines t JOIN wanted w ON w.sha = t.source_sha256 AND w.line = t.source_line
    UNION ALL
    SELECT w.pos, 3, 'payout_lines', t.source_sha256, t.source_line, 0, to_json(t)
    FROM payout_lines t JOIN wanted w ON w.sha = t.source_sha256 AND w.line = t.source_line
    UNION ALL
    SELECT w.pos, 4, 'receipts', t.source_sha256, t.source_line, 0, to_json(t)
    FROM receipts t JOIN wanted w ON w.sha = t.source_sha256 AND w.line = t.source_line
    UNION ALL
    SELECT w.pos, 5, 'receipt_lines', t.source_sha256, t.source_line, t.line_no, to_json(t)
    FROM receipt_lines t JOIN wanted w ON w.sha = t.source_sha256 AND w.line = t.source_line
) found
JOIN source_files f ON f.sha256 = found.sha256
ORDER BY found.pos, found.table_order, found.line_no;
