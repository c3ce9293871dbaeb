-- needs: order_shipping, shipping_parts, shipping_rates, shipping_type_rates, vat_rates
-- The shipping commission every order with shipping costs should cost, due in the weekly invoice after
-- the day it shipped: each delivery-cost type's part at its own rate where the fee table gives one, else at
-- the general rate, the exact sum rounded half-up once (so without typed rates: the rate on the sum);
-- VAT on that net, half-up. rate: the general rate; by_type: a typed rate took part.
CREATE OR REPLACE TEMP TABLE expected_shipping_fees AS
WITH typed AS (
    SELECT p.order_number, sum(p.gross * coalesce(t.rate, r.rate) * 0.01) AS exact,
           bool_or(t.rate IS NOT NULL) AS by_type
    FROM shipping_parts p
    JOIN order_shipping o USING (order_number)
    LEFT JOIN shipping_rates r ON o.shipped_on BETWEEN r.valid_from AND r.valid_to
    LEFT JOIN shipping_type_rates t ON t.fee_type = p.fee_type AND o.shipped_on BETWEEN t.valid_from AND t.valid_to
    GROUP BY p.order_number
)
SELECT o.*, invoice_day(o.shipped_on) AS due_invoice_day, r.rate, x.by_type,
       CAST(round(x.exact, 2) AS DECIMAL(18, 2)) AS net, pct_of(CAST(round(x.exact, 2) AS DECIMAL(18, 2)), v.rate) AS vat
FROM order_shipping o
JOIN typed x USING (order_number)
LEFT JOIN shipping_rates r ON o.shipped_on BETWEEN r.valid_from AND r.valid_to
LEFT JOIN vat_rates v ON o.shipped_on BETWEEN v.valid_from AND v.valid_to
WHERE o.gross > 0;
