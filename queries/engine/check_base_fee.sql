-- BASE_FEE_MISMATCH: the monthly base fee differs from the fee table, was charged twice for one month,
-- before it was due, or not at all for a month that is due by as_of.
SELECT 'BASE_FEE_MISMATCH' AS kind, NULL AS order_number, NULL AS position_item_id,
       e.invoice_number AS document_number, e.invoice_date AS document_date,
       CASE WHEN exp_net <> commission_net THEN exp_net ELSE exp_vat END AS expected,
       CASE WHEN exp_net <> commission_net THEN commission_net ELSE vat END AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       [ev(e.source_sha256, e.source_line)] AS evidence,
       CASE WHEN nth > 1 THEN 'again' WHEN fee_month < first_due THEN 'early'
            WHEN exp_net <> commission_net THEN 'net' ELSE 'vat' END AS message_key,
       CASE WHEN nth > 1 THEN MAP {'month': txt(fee_month), 'net': txt(commission_net)}
            WHEN fee_month < first_due THEN MAP {'month': txt(fee_month), 'first_month': txt(first_due)}
            WHEN exp_net <> commission_net THEN
                MAP {'month': txt(fee_month), 'expected': txt(exp_net), 'actual': txt(commission_net)}
            ELSE MAP {'month': txt(fee_month), 'expected': txt(exp_vat), 'actual': txt(vat)}
       END AS params
FROM base_fee_lines e
WHERE exp_net <> commission_net OR exp_vat <> vat OR commission_net + vat <> commission_gross
UNION ALL
SELECT 'BASE_FEE_MISMATCH', NULL, NULL, NULL, m.month, m.net, 0.00::DECIMAL(18, 2), NULL::DATE,
       NULL::DATE, [], 'missing', MAP {'month': txt(m.month), 'expected': txt(m.net)}
FROM base_fee_months m
WHERE NOT m.invoiced;
