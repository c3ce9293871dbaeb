-- needs: shipping_charges, order_shipping, sold, shipping_rates, vat_rates
-- Each shipping commission line with what it should have been: the shipping rate on the day it shipped
-- times the order's gross shipping costs (nothing when the order is known but had none; the line's own
-- base when no receipt shows the order), half-up, then VAT on that net.
CREATE OR REPLACE TEMP TABLE shipping_charge_check AS
WITH checked AS (
    SELECT c.*, o.gross AS shipping_gross, o.evidence AS receipt_evidence,
           EXISTS (SELECT 1 FROM sold s WHERE s.order_number = c.order_number) AS order_known,
           coalesce(c.shipped_on, o.shipped_on, c.invoice_date) AS rate_day
    FROM shipping_charges c LEFT JOIN order_shipping o USING (order_number)
), priced AS (
    SELECT k.*, r.rate AS table_rate, v.rate AS vat_rate_table,
           CASE WHEN k.shipping_gross IS NOT NULL THEN k.shipping_gross
                WHEN k.order_known THEN 0.00 ELSE k.base_gross END AS expected_base
    FROM checked k
    LEFT JOIN shipping_rates r ON k.rate_day BETWEEN r.valid_from AND r.valid_to
    LEFT JOIN vat_rates v ON k.rate_day BETWEEN v.valid_from AND v.valid_to
)
SELECT p.*, fee_net(expected_base, table_rate) AS exp_net,
       fee_vat(expected_base, table_rate, vat_rate_table) AS exp_vat
FROM priced p;
