-- BASE_FEE_MISMATCH: the monthly base fee differs from the fee table, was charged twice for one month,
-- before it was due, or not at all for a month that is due by as_of.
WITH lines AS (
    SELECT i.*, CAST(date_trunc('month', coalesce(i.period_from, i.invoice_date)) AS DATE) AS fee_month,
           row_number() OVER (PARTITION BY date_trunc('month', coalesce(i.period_from, i.invoice_date))
                              ORDER BY i.invoice_date, i.invoice_number, i.source_line) AS nth
    FROM invoice_lines i WHERE i.service_type = 'Grundgebühr'
), first_month AS (
    SELECT coalesce(getvariable('first_fee_month'), (SELECT min(fee_month) FROM lines)) AS m
), priced AS (
    SELECT l.*, CAST(f.value AS DECIMAL(18, 2)) AS table_net, v.rate AS vat_rate_table, (SELECT m FROM first_month) AS first_due
    FROM lines l
    LEFT JOIN fee_schedule f ON f.kind = 'base_fee' AND l.fee_month BETWEEN f.valid_from AND f.valid_to
    LEFT JOIN vat_rates v ON l.fee_month BETWEEN v.valid_from AND v.valid_to
), expected AS (
    SELECT p.*, CASE WHEN nth > 1 OR fee_month < first_due THEN 0.00 ELSE table_net END::DECIMAL(18, 2) AS exp_net
    FROM priced p
)
SELECT 'BASE_FEE_MISMATCH' AS kind, NULL AS order_number, NULL AS position_item_id,
       e.invoice_number AS document_number, e.invoice_date AS document_date,
       CASE WHEN exp_net <> commission_net THEN exp_net ELSE pct_of(exp_net, vat_rate_table) END AS expected,
       CASE WHEN exp_net <> commission_net THEN commission_net ELSE vat END AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       [ev(e.source_sha256, e.source_line)] AS evidence,
       CASE WHEN nth > 1 THEN format('base fee for {} charged again ({} net)', strftime(fee_month, '%Y-%m'),
                                     eur(commission_net))
            WHEN fee_month < first_due THEN format('base fee for {} charged before it was due (first due {})',
                                                   strftime(fee_month, '%Y-%m'), strftime(first_due, '%Y-%m'))
            WHEN exp_net <> commission_net THEN format('base fee for {} expected {} net, invoiced {}',
                                                       strftime(fee_month, '%Y-%m'), eur(exp_net), eur(commission_net))
            ELSE format('VAT on the base fee for {} expected {}, invoiced {}', strftime(fee_month, '%Y-%m'),
                        eur(pct_of(exp_net, vat_rate_table)), eur(vat))
       END AS message
FROM expected e
WHERE exp_net <> commission_net OR pct_of(exp_net, vat_rate_table) <> vat OR commission_net + vat <> commission_gross
UNION ALL
SELECT 'BASE_FEE_MISMATCH', NULL, NULL, NULL, CAST(m.month AS DATE), CAST(f.value AS DECIMAL(18, 2)),
       0.00::DECIMAL(18, 2), NULL::DATE,
       NULL::DATE, [], format('no base fee invoice for {} (expected {} net)', strftime(m.month, '%Y-%m'), eur(f.value))
FROM (SELECT unnest(generate_series((SELECT m FROM first_month), getvariable('as_of'), INTERVAL 1 MONTH)) AS month) m
LEFT JOIN fee_schedule f ON f.kind = 'base_fee' AND CAST(m.month AS DATE) BETWEEN f.valid_from AND f.valid_to
WHERE (SELECT m FROM first_month) IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM lines l WHERE l.fee_month = CAST(m.month AS DATE));
