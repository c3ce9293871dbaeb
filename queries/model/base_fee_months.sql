-- needs: base_fee_start, base_fee_lines, vat_rates
-- Every month from the first due month up to as_of: the base fee it owes (net, VAT) and whether any
-- base fee line charges it.
CREATE OR REPLACE TEMP TABLE base_fee_months AS
WITH months AS (
    SELECT CAST(m AS DATE) AS month
    FROM (SELECT unnest(generate_series((SELECT first_month FROM base_fee_start), getvariable('as_of'),
                                        INTERVAL 1 MONTH)) AS m)
)
SELECT m.month, CAST(f.value AS DECIMAL(18, 2)) AS net, pct_of(f.value, v.rate) AS vat,
       EXISTS (SELECT 1 FROM base_fee_lines l WHERE l.fee_month = m.month) AS invoiced
FROM months m
LEFT JOIN fee_schedule f ON f.kind = 'base_fee' AND m.month BETWEEN f.valid_from AND f.valid_to
LEFT JOIN vat_rates v ON m.month BETWEEN v.valid_from AND v.valid_to;
