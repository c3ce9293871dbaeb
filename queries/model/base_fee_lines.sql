-- needs: base_fee_start, vat_rates
-- Each base fee line with the month it charges, which charge for that month it is (nth), and what it
-- should have been: the fee table's net for the first charge of a due month, nothing otherwise, and VAT
-- on that net.
CREATE OR REPLACE TEMP TABLE base_fee_lines AS
WITH lines AS (
    SELECT i.*, CAST(date_trunc('month', coalesce(i.period_from, i.invoice_date)) AS DATE) AS fee_month,
           row_number() OVER (PARTITION BY date_trunc('month', coalesce(i.period_from, i.invoice_date))
                              ORDER BY i.invoice_date, i.invoice_number, i.source_line) AS nth
    FROM invoice_lines i WHERE i.service_type = 'Grundgebühr'
), priced AS (
    SELECT l.*, CAST(f.value AS DECIMAL(18, 2)) AS table_net, v.rate AS vat_rate_table,
           (SELECT first_month FROM base_fee_start) AS first_due
    FROM lines l
    LEFT JOIN fee_schedule f ON f.kind = 'base_fee' AND l.fee_month BETWEEN f.valid_from AND f.valid_to
    LEFT JOIN vat_rates v ON l.fee_month BETWEEN v.valid_from AND v.valid_to
), expected AS (
    SELECT p.*, CASE WHEN nth > 1 OR fee_month < first_due THEN 0.00 ELSE table_net END::DECIMAL(18, 2) AS exp_net
    FROM priced p
)
SELECT e.*, pct_of(e.exp_net, e.vat_rate_table) AS exp_vat FROM expected e;
