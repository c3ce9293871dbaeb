-- needs:
-- Sold position items: one row per unit on a PURCHASE receipt (the first one if a unit appears twice).
-- Nearly every unit appears once: only the repeated ones go through the (sorting) window.
CREATE OR REPLACE TEMP TABLE sold AS
WITH units AS MATERIALIZED (
    SELECT l.position_item_id, r.order_number, r.receipt_number, l.sku,
           coalesce(r.shipped_at, r.created_at) AS shipped_at,
           berlin_day(coalesce(r.shipped_at, r.created_at)) AS shipped_on,
           l.gross_amount AS gross, l.source_sha256 AS sha, l.source_line AS line, r.created_at AS created_at
    FROM receipt_lines l JOIN receipts r USING (receipt_number)
    WHERE r.receipt_type = 'PURCHASE' AND l.line_type = 'ITEM' AND l.position_item_id IS NOT NULL
), repeated AS (
    SELECT position_item_id FROM units GROUP BY position_item_id HAVING count(*) > 1
)
SELECT * EXCLUDE (created_at) FROM units ANTI JOIN repeated USING (position_item_id)
UNION ALL
SELECT * EXCLUDE (created_at) FROM (
    SELECT * FROM units SEMI JOIN repeated USING (position_item_id)
    QUALIFY row_number() OVER (PARTITION BY position_item_id ORDER BY created_at, receipt_number) = 1
);
