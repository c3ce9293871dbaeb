-- needs: sold, charges, sku_category, commission_rates, vat_rates
-- The commission every sold item should cost: category of its first charge line, else the SKU's last
-- invoiced category; the rate (or tier schedule) valid on the day it shipped; due in the weekly invoice
-- after that day. rate is NULL for a tiered category. unpriced: no rate and no tiers known (category unknown
-- or not in the fee table).
CREATE OR REPLACE TEMP TABLE expected_item_fees AS
WITH items AS (
    SELECT s.*, coalesce(c.category, k.category) AS category, invoice_day(s.shipped_on) AS due_invoice_day,
           c.position_item_id IS NOT NULL AS charged
    FROM sold s
    LEFT JOIN charges c ON c.position_item_id = s.position_item_id AND c.nth = 1
    LEFT JOIN sku_category k ON k.sku = s.sku
), rated AS (
    SELECT e.*, r.rate, v.rate AS vat_rate
    FROM items e
    LEFT JOIN commission_rates r ON r.category = e.category AND e.shipped_on BETWEEN r.valid_from AND r.valid_to
    LEFT JOIN vat_rates v ON e.shipped_on BETWEEN v.valid_from AND v.valid_to
), tiers AS (
    SELECT category, shipped_on, gross, tiered_net(category, shipped_on, gross) AS net
    FROM (SELECT DISTINCT category, shipped_on, gross FROM rated WHERE rate IS NULL)
)
SELECT p.*, pct_of(p.net, p.vat_rate) AS vat, p.net IS NULL AS unpriced
FROM (
    SELECT e.* EXCLUDE (vat_rate), commission_net(e.gross, e.rate, t.net) AS net, e.vat_rate
    FROM rated e
    LEFT JOIN tiers t ON e.rate IS NULL AND t.category IS NOT DISTINCT FROM e.category
                     AND t.shipped_on IS NOT DISTINCT FROM e.shipped_on AND t.gross IS NOT DISTINCT FROM e.gross
) p;
