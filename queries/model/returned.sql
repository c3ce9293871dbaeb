-- needs:
-- Returned position items: on a REFUND receipt (partial refunds are price reductions, not returns).
CREATE OR REPLACE TEMP TABLE returned AS
SELECT l.position_item_id, r.order_number, r.receipt_number, berlin_day(r.created_at) AS returned_on,
       l.source_sha256 AS sha, l.source_line AS line
FROM receipt_lines l JOIN receipts r USING (receipt_number)
WHERE r.receipt_type = 'REFUND' AND l.line_type = 'ITEM' AND l.position_item_id IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY l.position_item_id ORDER BY r.created_at, r.receipt_number) = 1;
