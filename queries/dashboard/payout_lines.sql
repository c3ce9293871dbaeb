-- The lines of one payout ($payout_number) with the document each settles and whether it matches (model
-- payout_line_status); lines that do not match come first, at most $limit rows, each row carrying the
-- payout's line counts.
WITH checked AS (
    SELECT p.source_line AS line, p.document_type, p.document_number, p.document_date, p.due_date, p.order_number,
           p.amount, p.document_amount, p.status
    FROM payout_line_status p
    WHERE p.payout_number = $payout_number
)
SELECT *, count(*) OVER () AS lines_total, count(*) FILTER (WHERE status <> 'ok') OVER () AS lines_off
FROM checked
ORDER BY status = 'ok', line
LIMIT $limit;
