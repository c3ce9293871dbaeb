-- Per ISO week (Monday): sales, refunds, fees invoiced, corrections and payouts, in gross EUR.
-- Period: date_from .. min(date_to, as_of).
WITH period AS (SELECT getvariable('date_from') AS d0, least(getvariable('date_to'), getvariable('as_of')) AS d1),
flows AS (
    SELECT berlin_day(created_at) AS day,
           CASE WHEN receipt_type = 'PURCHASE' THEN total_gross ELSE 0 END AS sales,
           CASE WHEN receipt_type <> 'PURCHASE' THEN total_gross ELSE 0 END AS refunds,
           0 AS fees, 0 AS corrections, 0 AS payouts
    FROM receipts
    UNION ALL SELECT invoice_date, 0, 0, commission_gross, 0, 0 FROM invoice_lines
    UNION ALL SELECT correction_date, 0, 0, 0, commission_gross, 0 FROM correction_lines
    UNION ALL SELECT payout_date, 0, 0, 0, 0, any_value(payout_total) FROM payout_lines GROUP BY payout_number, payout_date
)
SELECT CAST(date_trunc('week', day) AS DATE) AS week,
       sum(sales)::DECIMAL(18, 2) AS sales_gross, sum(refunds)::DECIMAL(18, 2) AS refunds_gross,
       sum(fees)::DECIMAL(18, 2) AS fees_gross, sum(corrections)::DECIMAL(18, 2) AS corrections_gross,
       sum(payouts)::DECIMAL(18, 2) AS payouts_total
FROM flows, period
WHERE day BETWEEN period.d0 AND period.d1
GROUP BY 1 ORDER BY 1;
