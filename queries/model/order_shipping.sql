-- needs:
-- Shipping costs per order: the delivery fees of its purchase receipts (standard plus freight surcharge).
CREATE OR REPLACE TEMP TABLE order_shipping AS
SELECT r.order_number, sum(l.gross_amount) AS gross,
       min(berlin_day(coalesce(r.shipped_at, r.created_at))) AS shipped_on,
       arg_min(ev(l.source_sha256, l.source_line), coalesce(r.shipped_at, r.created_at)) AS evidence
FROM receipt_lines l JOIN receipts r USING (receipt_number)
WHERE r.receipt_type = 'PURCHASE' AND l.line_type = 'DELIVERY_FEE'
GROUP BY r.order_number;
