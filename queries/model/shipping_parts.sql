-- needs:
-- An order's shipping costs by delivery-cost type (standard, freight surcharge), gross, from its purchase
-- receipts; a delivery fee without a type counts as standard.
CREATE OR REPLACE TEMP TABLE shipping_parts AS
SELECT r.order_number, coalesce(l.fee_type, 'DELIVERY_FEE_STANDARD') AS fee_type, sum(l.gross_amount) AS gross
FROM receipt_lines l JOIN receipts r USING (receipt_number)
WHERE r.receipt_type = 'PURCHASE' AND l.line_type = 'DELIVERY_FEE'
GROUP BY ALL;
