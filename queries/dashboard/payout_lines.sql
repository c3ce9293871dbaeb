-- The lines of one payout ($payout_number) with the document each settles and whether it matches; lines
-- that do not match come first, at most $limit rows, each row carrying the payout's line counts.
-- Same statuses as views/payout_lines, but without engine/prepare: only the documents this payout names
-- are looked up, so opening one payout stays fast however many documents the store holds.
WITH mine AS (SELECT * FROM payout_lines WHERE payout_number = $payout_number),
wanted AS (SELECT DISTINCT document_number AS number FROM mine),
docs AS (
    SELECT r.receipt_number AS number,
           CASE r.receipt_type WHEN 'PURCHASE' THEN r.total_gross ELSE -r.total_gross END AS amount
    FROM receipts r SEMI JOIN wanted w ON w.number = r.receipt_number
    UNION ALL
    SELECT i.invoice_number, -sum(i.commission_gross)
    FROM invoice_lines i SEMI JOIN wanted w ON w.number = i.invoice_number GROUP BY i.invoice_number
    UNION ALL
    SELECT c.correction_number, -sum(c.commission_gross)
    FROM correction_lines c SEMI JOIN wanted w ON w.number = c.correction_number GROUP BY c.correction_number
),
ranked AS (
    SELECT p.*, row_number() OVER (PARTITION BY p.document_number
                                   ORDER BY p.payout_date, p.payout_number, p.source_line) AS nth
    FROM payout_lines p SEMI JOIN wanted w ON w.number = p.document_number
),
checked AS (
    SELECT p.source_line AS line, p.document_type, p.document_number, p.document_date, p.due_date, p.order_number,
           p.amount, d.amount AS document_amount,
           CASE WHEN d.number IS NULL THEN 'unbekannt'
                WHEN p.nth > 1 THEN 'doppelt'
                WHEN p.amount <> d.amount THEN 'abweichend'
                ELSE 'ok' END AS status
    FROM ranked p LEFT JOIN docs d ON d.number = p.document_number
    WHERE p.payout_number = $payout_number
)
SELECT *, count(*) OVER () AS lines_total, count(*) FILTER (WHERE status <> 'ok') OVER () AS lines_off
FROM checked
ORDER BY status = 'ok', line
LIMIT $limit;
