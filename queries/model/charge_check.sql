-- needs: charges, sold, commission_rates, vat_rates
-- Each product commission line with what it should have been: the category's rate on the day it shipped
-- times the sold item's gross price (the line's own base when no receipt shows the sale), half-up to the
-- cent, then VAT on that net, half-up.
CREATE OR REPLACE TEMP TABLE charge_check AS
WITH base AS (
    SELECT c.*, s.gross AS sold_gross, s.sha AS sold_sha, s.line AS sold_line,
           coalesce(c.shipped_on, s.shipped_on, c.invoice_date) AS rate_day,
           coalesce(s.gross, c.base_gross) AS expected_base
    FROM charges c LEFT JOIN sold s USING (position_item_id)
), rated AS (
    SELECT b.*, r.rate AS table_rate, v.rate AS vat_rate_table
    FROM base b
    LEFT JOIN commission_rates r ON r.category = b.category AND b.rate_day BETWEEN r.valid_from AND r.valid_to
    LEFT JOIN vat_rates v ON b.rate_day BETWEEN v.valid_from AND v.valid_to
)
SELECT *, fee_net(expected_base, table_rate) AS exp_net,
       fee_vat(expected_base, table_rate, vat_rate_table) AS exp_vat,
       fee_net(expected_base, table_rate) + fee_vat(expected_base, table_rate, vat_rate_table) AS exp_gross
FROM rated;
