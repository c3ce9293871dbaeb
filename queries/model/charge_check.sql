-- needs: charges, sold, commission_rates, vat_rates
-- Each product commission line with what it should have been: the category's rate (or tier schedule) on the
-- day it shipped applied to the sold item's gross price (the line's own base when no receipt shows the
-- sale), half-up to the cent, then VAT on that net, half-up. tiered: the expectation comes from tiers.
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
), tiers AS (
    SELECT category, rate_day, expected_base, tiered_net(category, rate_day, expected_base) AS net
    FROM (SELECT DISTINCT category, rate_day, expected_base FROM rated WHERE table_rate IS NULL)
)
SELECT *, pct_of(exp_net, vat_rate_table) AS exp_vat, exp_net + pct_of(exp_net, vat_rate_table) AS exp_gross,
       table_rate IS NULL AND exp_net IS NOT NULL AS tiered
FROM (SELECT r.*, commission_net(r.expected_base, r.table_rate, t.net) AS exp_net
      FROM rated r
      LEFT JOIN tiers t ON r.table_rate IS NULL AND t.category IS NOT DISTINCT FROM r.category
                       AND t.rate_day IS NOT DISTINCT FROM r.rate_day
                       AND t.expected_base IS NOT DISTINCT FROM r.expected_base);
