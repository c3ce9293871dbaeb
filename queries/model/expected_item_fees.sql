-- needs: sold, charges, sku_category, commission_rates, vat_rates
-- The commission every sold item should cost: category of its first charge line, else the SKU's last
-- invoiced category; the rate valid on the day it shipped; due in the weekly invoice after that day.
-- unpriced: no rate known (category unknown or not in the fee table).
CREATE OR REPLACE TEMP TABLE expected_item_fees AS
WITH items AS (
    SELECT s.*, coalesce(c.category, k.category) AS category, invoice_day(s.shipped_on) AS due_invoice_day,
           c.position_item_id IS NOT NULL AS charged
    FROM sold s
    LEFT JOIN charges c ON c.position_item_id = s.position_item_id AND c.nth = 1
    LEFT JOIN sku_category k ON k.sku = s.sku
)
SELECT e.*, r.rate, fee_net(e.gross, r.rate) AS net, fee_vat(e.gross, r.rate, v.rate) AS vat,
       r.rate IS NULL AS unpriced
FROM items e
LEFT JOIN commission_rates r ON r.category = e.category AND e.shipped_on BETWEEN r.valid_from AND r.valid_to
LEFT JOIN vat_rates v ON e.shipped_on BETWEEN v.valid_from AND v.valid_to;
